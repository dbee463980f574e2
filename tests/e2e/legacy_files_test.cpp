// asdf plugins' legacy version files end to end (issue 9 item 4, DESIGN.md
// §4): the files a plugin's bin/list-legacy-filenames names drive the shim
// once that tool's idiomatic files are enabled, read through its
// bin/parse-legacy-file when it has one; the shim itself never runs that
// script (rtx does, once, and caches the answer).
#include <gtest/gtest.h>

#include "harness.hpp"

namespace rtx::e2e {
namespace {

// A plugin "lang" whose command `lang` prints "lang <version>". Its legacy
// file is .lang-version; its parse-legacy-file strips a "lang-" prefix and
// appends a line to $LANG_PARSE_MARKER on each call.
const std::pair<std::string, std::string> kListAll{"list-all", "echo 1.0.0 2.0.0"};
const std::pair<std::string, std::string> kInstall{
    "install",
    "mkdir -p \"$ASDF_INSTALL_PATH/bin\"\n"
    "printf '#!/bin/sh\\necho lang %s\\n' \"$ASDF_INSTALL_VERSION\" > \"$ASDF_INSTALL_PATH/bin/lang\"\n"
    "chmod +x \"$ASDF_INSTALL_PATH/bin/lang\""};
const std::pair<std::string, std::string> kParse{"parse-legacy-file",
                                                 "echo call >> \"$LANG_PARSE_MARKER\"\n"
                                                 "v=$(cat \"$1\")\n"
                                                 "echo \"${v#lang-}\""};

std::string names_script(const std::string& names) { return "printf '%s\\n' '" + names + "'"; }

class LegacyFiles : public ::testing::Test {
 protected:
  void SetUp() override {
    marker = world.root() + "/parse-calls";
    world.set_env("LANG_PARSE_MARKER", marker);
    project = world.make_project("app", ".lang-version", "lang-1.0.0\n");
  }
  // Links "lang" with these scripts and installs both versions.
  void add_lang(std::vector<std::pair<std::string, std::string>> extra) {
    extra.push_back(kListAll);
    extra.push_back(kInstall);
    Output link = world.rtx({"plugins", "link", "lang", world.write_plugin("lang", extra)});
    ASSERT_EQ(link.status, 0) << link.err;
    link_err = link.err;
    ASSERT_EQ(world.rtx({"install", "lang@1.0.0", "lang@2.0.0"}).status, 0);
  }
  int parse_calls() const {
    std::string calls = world.read(marker);
    return int(std::count(calls.begin(), calls.end(), '\n'));
  }
  void opt_in() { world.set_env("RTX_IDIOMATIC_VERSION_FILE_ENABLE_TOOLS", "lang"); }

  World world;
  std::string marker, project, link_err;
};

TEST_F(LegacyFiles, TheShimRunsWhatTheFileNamesOnlyWhenOptedIn) {
  add_lang({{"list-legacy-filenames", names_script(".lang-version")}, kParse});
  Output o = world.shim("lang", {}, project);
  EXPECT_EQ(o.status, 127) << o.out;
  EXPECT_NE(o.err.find("no version of lang"), std::string::npos) << o.err;
  EXPECT_EQ(parse_calls(), 0);

  opt_in();
  o = world.shim("lang", {}, project);
  ASSERT_EQ(o.status, 0) << o.err;
  EXPECT_EQ(o.out, "lang 1.0.0\n");
  EXPECT_EQ(o.err, "");
}

TEST_F(LegacyFiles, TheShimsSecondCallRunsNoPluginScript) {
  add_lang({{"list-legacy-filenames", names_script(".lang-version")}, kParse});
  opt_in();
  EXPECT_EQ(world.shim("lang", {}, project).out, "lang 1.0.0\n");
  EXPECT_EQ(parse_calls(), 1);
  EXPECT_EQ(world.shim("lang", {}, project).out, "lang 1.0.0\n");
  EXPECT_EQ(world.rtx({"current", "lang"}, project).status, 0);
  EXPECT_EQ(parse_calls(), 1);  // both answered from the cache

  // Any change to the file misses the cache: parsed once more, then cached.
  world.make_project("app", ".lang-version", "lang-2.0.0\n");
  EXPECT_EQ(world.shim("lang", {}, project).out, "lang 2.0.0\n");
  EXPECT_EQ(world.shim("lang", {}, project).out, "lang 2.0.0\n");
  EXPECT_EQ(parse_calls(), 2);
}

TEST_F(LegacyFiles, RtxCurrentParsesAndFillsTheCacheForTheShim) {
  add_lang({{"list-legacy-filenames", names_script(".lang-version")}, kParse});
  opt_in();
  Output current = world.rtx({"current", "lang"}, project);
  ASSERT_EQ(current.status, 0) << current.err;
  EXPECT_NE(current.out.find("1.0.0"), std::string::npos) << current.out;
  EXPECT_NE(current.out.find(project + "/.lang-version"), std::string::npos) << current.out;
  EXPECT_EQ(world.shim("lang", {}, project).out, "lang 1.0.0\n");
  EXPECT_EQ(parse_calls(), 1);
}

TEST_F(LegacyFiles, WithoutParseLegacyFileTheContentIsTheVersion) {
  add_lang({{"list-legacy-filenames", names_script(".lang-version .other-file")}});
  world.make_project("app", ".lang-version", "\n  2.0.0  \n");
  opt_in();
  Output o = world.shim("lang", {}, project);
  ASSERT_EQ(o.status, 0) << o.err;
  EXPECT_EQ(o.out, "lang 2.0.0\n");
  // The content as it is: "lang-1.0.0" is a version rtx does not have.
  world.make_project("app", ".lang-version", "lang-1.0.0\n");
  o = world.shim("lang", {}, project);
  EXPECT_EQ(o.status, 127);
  EXPECT_NE(o.err.find("lang-1.0.0"), std::string::npos) << o.err;
}

TEST_F(LegacyFiles, AHostileFileNameFromAPluginIsRefused) {
  // "../x" would make every project's parent folder choose the version.
  std::string outside = world.make_project("app", "x", "2.0.0\n");
  std::string inner = world.make_project("app/sub", "y", "");
  add_lang({{"list-legacy-filenames", names_script("../x")}});
  EXPECT_NE(link_err.find("'../x'"), std::string::npos) << link_err;
  EXPECT_NE(link_err.find("not read"), std::string::npos) << link_err;
  opt_in();
  Output o = world.shim("lang", {}, inner);
  EXPECT_EQ(o.status, 127) << o.out;
  EXPECT_NE(o.err.find("no version of lang"), std::string::npos) << o.err;

  // A control character (an escape sequence) in a name: refused the same way.
  Output relink = world.rtx(
      {"plugins", "link", "lang",
       world.write_plugin("lang", {kListAll, kInstall, {"list-legacy-filenames", "printf '.lang-\\033[2J\\n'"}})});
  EXPECT_EQ(relink.status, 0) << relink.err;
  EXPECT_NE(relink.err.find("control character"), std::string::npos) << relink.err;
  EXPECT_EQ(relink.err.find('\033'), std::string::npos) << relink.err;
  EXPECT_EQ(world.read(world.data() + "/plugins/.legacy-filenames").find("lang"), std::string::npos);
}

TEST_F(LegacyFiles, GarbageFromParseLegacyFileIsOneErrorLineAndRunsNothing) {
  add_lang({{"list-legacy-filenames", names_script(".lang-version")},
            {"parse-legacy-file", "echo 'cannot parse this file'"}});
  opt_in();
  Output o = world.shim("lang", {}, project);
  EXPECT_EQ(o.status, 126);
  EXPECT_EQ(o.out, "");
  EXPECT_EQ(std::count(o.err.begin(), o.err.end(), '\n'), 1) << o.err;
  EXPECT_NE(o.err.find(project + "/.lang-version"), std::string::npos) << o.err;
  EXPECT_NE(o.err.find("'cannot parse this file', which is not one version"), std::string::npos) << o.err;
  EXPECT_EQ(world.read(world.data() + "/plugins/.legacy-versions").find("cannot"), std::string::npos);
}

TEST_F(LegacyFiles, APluginThatStopsListingAFileStopsCountingIt) {
  add_lang({{"list-legacy-filenames", names_script(".lang-version")}});
  world.make_project("app", ".lang-version", "2.0.0\n");
  opt_in();
  EXPECT_EQ(world.shim("lang", {}, project).out, "lang 2.0.0\n");
  // `rtx plugins remove` drops its line; so does a relink without the script.
  ASSERT_EQ(world.rtx({"plugins", "link", "lang", world.write_plugin("lang2", {kListAll, kInstall})}).status, 0);
  Output o = world.shim("lang", {}, project);
  EXPECT_EQ(o.status, 127) << o.out;
}

}  // namespace
}  // namespace rtx::e2e
