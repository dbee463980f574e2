// `rtx use --pin/--fuzzy` and `rtx upgrade --bump` (issue 9 item 7), against
// the sample plugin's remote list: what each writes into the user's file, and
// that the edit keeps every other byte, the link and the mode (DESIGN.md §10).
// Each test compares whole files before and after.
#include <gtest/gtest.h>
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>

#include "harness.hpp"
#include "store_probe.hpp"
#include "text_checks.hpp"

namespace rtx::e2e {
namespace {

const char* const kCommentedMise =
    "# project tools\n"
    "[env]\n"
    "GREETING = 'hi'  # for the demo\n"
    "\n"
    "[tools]\n"
    "hello = \"1\"   # major only, bumped by hand so far\n"
    "\n"
    "[settings]\n"
    "experimental = true\n";

std::string with(std::string text, const std::string& from, const std::string& to) {
  return text.replace(text.find(from), from.size(), to);
}

class BumpAndPin : public ::testing::Test {
 protected:
  void SetUp() override {
    world.link_sample_plugin();
    world.set_env("HELLO_VERSIONS", "1.0.0");
    ASSERT_EQ(world.rtx({"install", "hello@1.0.0"}).status, 0);
    world.set_env("HELLO_VERSIONS", "1.0.0 1.1.0 2.0.0 2.1.0 3.0.0-rc1");
  }
  bool installed(const std::string& version) const {
    return states_of(world, "hello", version) == std::vector<std::string>{"READY"};
  }

  World world;
};

// ---- rtx use --pin / --fuzzy -------------------------------------------------

TEST_F(BumpAndPin, UsePinWritesTheExactVersionInstalled) {
  std::string p = world.make_project("pin", "mise.toml", kCommentedMise);
  Output o = world.rtx({"use", "--pin", "hello@2"}, p);
  ASSERT_EQ(o.status, 0) << o.err;
  EXPECT_EQ(world.read(p + "/mise.toml"), with(kCommentedMise, "\"1\"", "\"2.1.0\""));
  EXPECT_TRUE(prints_version(world.shim("hello", {}, p), "2.1.0"));
}

TEST_F(BumpAndPin, UseFuzzyWritesTheMajorOnly) {
  const std::string before = "# pins\nhello 1.0.0   # old\nother 3\n";
  std::string p = world.make_project("fuzzy", ".tool-versions", before);
  Output o = world.rtx({"use", "--fuzzy", "hello@2.0"}, p);
  ASSERT_EQ(o.status, 0) << o.err;
  EXPECT_EQ(world.read(p + "/.tool-versions"), "# pins\nhello 2   # old\nother 3\n");
  EXPECT_TRUE(installed("2.0.0"));
  // `latest` with --fuzzy: the major of what it installed.
  ASSERT_EQ(world.rtx({"use", "--fuzzy", "hello@latest"}, p).status, 0);
  EXPECT_EQ(world.read(p + "/.tool-versions"), "# pins\nhello 2   # old\nother 3\n");
  ASSERT_EQ(world.rtx({"use", "--pin", "hello@2.1"}, p).status, 0);
  EXPECT_EQ(world.read(p + "/.tool-versions"), "# pins\nhello 2.1.0   # old\nother 3\n");
}

TEST_F(BumpAndPin, UseWithoutAFlagWritesTheSpecAsTyped) {
  std::string p = world.make_project("typed", "rtx.toml", "[tools]\nhello = '1'\n");
  ASSERT_EQ(world.rtx({"use", "hello@2.0"}, p).status, 0);
  EXPECT_EQ(world.read(p + "/rtx.toml"), "[tools]\nhello = '2.0'\n");
}

TEST_F(BumpAndPin, PinAndFuzzyTogetherIsOneErrorAndChangesNothing) {
  std::string p = world.make_project("both", "mise.toml", kCommentedMise);
  Output o = world.rtx({"use", "--pin", "--fuzzy", "hello@2"}, p);
  EXPECT_EQ(o.status, 2);
  EXPECT_EQ(lines(o.err), 1) << o.err;
  EXPECT_NE(o.err.find("--pin and --fuzzy"), std::string::npos) << o.err;
  EXPECT_EQ(world.read(p + "/mise.toml"), kCommentedMise);
  EXPECT_TRUE(states_of(world, "hello", "2.1.0").empty()) << "nothing may be installed";
}

// ---- rtx upgrade --bump ----------------------------------------------------

TEST_F(BumpAndPin, BumpTakesTheNextMajorAndRewritesACommentedMiseToml) {
  std::string p = world.make_project("major", "mise.toml", kCommentedMise);
  Output o = world.rtx({"upgrade", "--bump"}, p);
  ASSERT_EQ(o.status, 0) << o.err;
  EXPECT_EQ(world.read(p + "/mise.toml"), with(kCommentedMise, "\"1\"", "\"2\""));
  EXPECT_TRUE(prints_version(world.shim("hello", {}, p), "2.1.0"));
  // The config no longer asks for 1.0.0: retired (kept for a rollback), as a plain upgrade does.
  EXPECT_EQ(states_of(world, "hello", "1.0.0"), std::vector<std::string>{"RETIRED"});
  EXPECT_NE(o.err.find("wrote hello = \"2\" in " + p + "/mise.toml; 1.0.0 is retired"), std::string::npos) << o.err;
  // A second run: "2" is already the newest major.
  Output again = world.rtx({"upgrade", "--bump"}, p);
  ASSERT_EQ(again.status, 0) << again.err;
  EXPECT_EQ(world.read(p + "/mise.toml"), with(kCommentedMise, "\"1\"", "\"2\""));
}

TEST_F(BumpAndPin, BumpKeepsThePrecisionInAToolVersions) {
  std::string p = world.make_project("minor", ".tool-versions", "# two parts\r\nhello\t1.0  # minor\r\n");
  Output o = world.rtx({"upgrade", "--bump", "hello"}, p);
  ASSERT_EQ(o.status, 0) << o.err;
  EXPECT_EQ(world.read(p + "/.tool-versions"), "# two parts\r\nhello\t2.1  # minor\r\n");
  EXPECT_TRUE(prints_version(world.shim("hello", {}, p), "2.1.0"));
}

TEST_F(BumpAndPin, BumpEditsASymlinkedRtxTomlAtItsTarget) {
  std::string shared = world.make_project("shared", "rtx.toml", "# shared by two projects\n[tools]\nhello = '1.0.0'\n");
  std::string p = world.make_project("linked", "README", "");
  ASSERT_EQ(::symlink((shared + "/rtx.toml").c_str(), (p + "/rtx.toml").c_str()), 0);
  Output o = world.rtx({"upgrade", "--bump"}, p);
  ASSERT_EQ(o.status, 0) << o.err;
  EXPECT_TRUE(S_ISLNK(mode_of(p + "/rtx.toml")));
  EXPECT_EQ(world.read(shared + "/rtx.toml"), "# shared by two projects\n[tools]\nhello = '2.1.0'\n");
}

TEST_F(BumpAndPin, BumpKeepsAPrivateFilePrivate) {
  std::string p = world.make_project("private", "rtx.toml", "[tools]\nhello = \"1\"\n");
  ASSERT_EQ(::chmod((p + "/rtx.toml").c_str(), 0600), 0);
  ASSERT_EQ(world.rtx({"upgrade", "--bump"}, p).status, 0);
  EXPECT_EQ(world.read(p + "/rtx.toml"), "[tools]\nhello = \"2\"\n");
  EXPECT_EQ(mode_of(p + "/rtx.toml") & 07777, 0600u);
}

TEST_F(BumpAndPin, BumpRefusesAReadOnlyFileBeforeInstallingAnything) {
  const std::string before = "[tools]\nhello = \"1\"\n";
  std::string p = world.make_project("locked", "rtx.toml", before);
  ASSERT_EQ(::chmod((p + "/rtx.toml").c_str(), 0444), 0);
  Output o = world.rtx({"upgrade", "--bump"}, p);
  EXPECT_EQ(o.status, 1);
  EXPECT_EQ(lines(o.err), 1) << o.err;
  EXPECT_NE(o.err.find(p + "/rtx.toml"), std::string::npos) << o.err;
  EXPECT_NE(o.err.find("read-only"), std::string::npos) << o.err;
  EXPECT_EQ(world.read(p + "/rtx.toml"), before);
  EXPECT_EQ(mode_of(p + "/rtx.toml") & 07777, 0444u);
  EXPECT_TRUE(states_of(world, "hello", "2.1.0").empty());
  EXPECT_EQ(states_of(world, "hello", "1.0.0"), std::vector<std::string>{"READY"});
}

TEST_F(BumpAndPin, DryRunSaysWhatItWouldWriteAndWritesNothing) {
  std::string p = world.make_project("dry", "mise.toml", kCommentedMise);
  Output o = world.rtx({"upgrade", "--bump", "--dry-run"}, p);
  ASSERT_EQ(o.status, 0) << o.err;
  EXPECT_EQ(o.out, "would upgrade hello 1: 1.0.0 -> 2.1.0 and write hello = \"2\" in " + p + "/mise.toml\n");
  EXPECT_EQ(world.read(p + "/mise.toml"), kCommentedMise);
  EXPECT_TRUE(states_of(world, "hello", "2.1.0").empty());
}

TEST_F(BumpAndPin, BumpChangesOnlyTheFirstElementOfAnArray) {
  const std::string before = "[tools]\nhello = [\"1\", '1.0']  # newest first\n";
  std::string p = world.make_project("array", "mise.toml", before);
  ASSERT_EQ(world.rtx({"upgrade", "--bump"}, p).status, 0);
  EXPECT_EQ(world.read(p + "/mise.toml"), "[tools]\nhello = [\"2\", '1.0']  # newest first\n");
}

TEST_F(BumpAndPin, LatestStaysLatest) {
  const std::string before = "[tools]\nhello = 'latest'\n";
  std::string p = world.make_project("latest", "rtx.toml", before);
  ASSERT_EQ(world.rtx({"upgrade", "--bump"}, p).status, 0);
  EXPECT_EQ(world.read(p + "/rtx.toml"), before);
  EXPECT_TRUE(installed("2.1.0"));
}

TEST_F(BumpAndPin, AnotherConfigOnTheOldSpecKeepsItsBuildReady) {
  std::string other = world.make_project("other", ".tool-versions", "hello 1\n");
  ASSERT_EQ(world.rtx({"current", "hello"}, other).status, 0);  // tracked from now on
  std::string p = world.make_project("bumped", ".tool-versions", "hello 1\n");
  Output o = world.rtx({"upgrade", "--bump"}, p);
  ASSERT_EQ(o.status, 0) << o.err;
  EXPECT_EQ(world.read(p + "/.tool-versions"), "hello 2\n");
  EXPECT_EQ(states_of(world, "hello", "1.0.0"), std::vector<std::string>{"READY"});
  EXPECT_NE(o.err.find("1.0.0 stays READY: " + other + "/.tool-versions still resolves to it"), std::string::npos)
      << o.err;
  EXPECT_TRUE(prints_version(world.shim("hello", {}, other), "1.0.0"));
  EXPECT_TRUE(prints_version(world.shim("hello", {}, p), "2.1.0"));
}

TEST_F(BumpAndPin, AnIdiomaticFileIsLeftAloneWithANote) {
  world.link_sample_plugin("ruby");
  world.set_env("HELLO_VERSIONS", "1.0.0");
  ASSERT_EQ(world.rtx({"install", "ruby@1.0.0"}).status, 0);
  world.set_env("HELLO_VERSIONS", "1.0.0 1.1.0 2.0.0");
  world.set_env("RTX_IDIOMATIC_VERSION_FILE_ENABLE_TOOLS", "ruby");
  std::string p = world.make_project("ruby-app", ".ruby-version", "1\n");
  Output o = world.rtx({"upgrade", "--bump", "ruby"}, p);
  ASSERT_EQ(o.status, 0) << o.err;
  EXPECT_EQ(world.read(p + "/.ruby-version"), "1\n");
  EXPECT_NE(o.err.find("not bumping ruby in " + p +
                       "/.ruby-version: rtx does not edit idiomatic version files; change it there by hand\n"),
            std::string::npos)
      << o.err;
  // Still upgraded within its spec, as without --bump.
  EXPECT_EQ(states_of(world, "ruby", "1.1.0"), std::vector<std::string>{"READY"});
  EXPECT_TRUE(states_of(world, "ruby", "2.0.0").empty());
}

}  // namespace
}  // namespace rtx::e2e
