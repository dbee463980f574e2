// `rtx use` edits the user's files in place (DESIGN.md §10): one value
// changes, every other byte, the link, the mode stay; a read-only file is
// refused. Each test compares whole files before and after.
#include <gtest/gtest.h>
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <filesystem>

#include "harness.hpp"
#include "text_checks.hpp"

namespace rtx::e2e {
namespace {

class UseEditsUserFiles : public ::testing::Test {
 protected:
  void SetUp() override {
    world.link_sample_plugin();
    ASSERT_EQ(world.rtx({"install", "hello@1.1.0", "hello@2.0.0"}).status, 0);
  }
  World world;
};

TEST_F(UseEditsUserFiles, AMiseTomlKeepsEveryByteButTheVersion) {
  const std::string before =
      "# project tools\n"
      "[env]\n"
      "NODE_ENV = 'production'  # for the build\n"
      "\n"
      "[tools]\n"
      "hello = \"1.1.0\"   # pinned until the release\n"
      "\n"
      "[tasks.build]\n"
      "run = \"make all\"\n"
      "depends = ['lint']\n"
      "\n"
      "[settings]\n"
      "experimental = true\n";
  std::string p = world.make_project("proj", "mise.toml", before);
  Output o = world.rtx({"use", "hello@2"}, p);
  ASSERT_EQ(o.status, 0) << o.err;
  std::string expected = before;
  expected.replace(expected.find("\"1.1.0\""), 7, "\"2\"");
  EXPECT_EQ(world.read(p + "/mise.toml"), expected);
  EXPECT_FALSE(std::filesystem::exists(p + "/rtx.toml"));
  EXPECT_EQ(world.shim("hello", {}, p).out.rfind("hello 2.0.0", 0), 0u);
}

TEST_F(UseEditsUserFiles, ANewKeyIsWrittenWithDoubleQuotes) {
  std::string p = world.make_project("fresh", "README", "");
  ASSERT_EQ(world.rtx({"use", "hello@2"}, p).status, 0);
  EXPECT_EQ(world.read(p + "/rtx.toml"), "[tools]\nhello = \"2\"\n");
}

TEST_F(UseEditsUserFiles, ASymlinkedRtxTomlIsEditedAtItsTargetAndStaysALink) {
  std::string shared = world.make_project("shared", "rtx.toml", "# shared by two projects\n[tools]\nhello = '1'\n");
  std::string p = world.make_project("proj", "README", "");
  ASSERT_EQ(::symlink((shared + "/rtx.toml").c_str(), (p + "/rtx.toml").c_str()), 0);
  Output o = world.rtx({"use", "hello@2.0.0"}, p);
  ASSERT_EQ(o.status, 0) << o.err;
  EXPECT_TRUE(S_ISLNK(mode_of(p + "/rtx.toml")));
  EXPECT_EQ(world.read(shared + "/rtx.toml"), "# shared by two projects\n[tools]\nhello = '2.0.0'\n");
}

TEST_F(UseEditsUserFiles, APrivateGlobalConfigStaysPrivate) {
  std::string config = world.config() + "/config.toml";
  world.make_project("config", "config.toml", "[settings]\nkeep_previous = 2\n\n[tools]\nhello = \"1\"\n");
  ASSERT_EQ(::chmod(config.c_str(), 0600), 0);
  Output o = world.rtx({"use", "--global", "hello@2.0.0"});
  ASSERT_EQ(o.status, 0) << o.err;
  EXPECT_EQ(mode_of(config) & 07777, 0600u);
  EXPECT_EQ(world.read(config), "[settings]\nkeep_previous = 2\n\n[tools]\nhello = \"2.0.0\"\n");
}

TEST_F(UseEditsUserFiles, AReadOnlyRtxTomlIsRefusedAndLeftAlone) {
  const std::string before = "[tools]\nhello = \"1.1.0\"\n";
  std::string p = world.make_project("locked", "rtx.toml", before);
  ASSERT_EQ(::chmod((p + "/rtx.toml").c_str(), 0444), 0);
  Output o = world.rtx({"use", "hello@1.0"}, p);
  EXPECT_NE(o.status, 0);
  EXPECT_NE(o.err.find(p + "/rtx.toml"), std::string::npos) << o.err;
  EXPECT_NE(o.err.find("read-only"), std::string::npos) << o.err;
  EXPECT_EQ(world.read(p + "/rtx.toml"), before);
  EXPECT_EQ(mode_of(p + "/rtx.toml") & 07777, 0444u);
  auto names = world.store_names("hello");  // refused before installing anything
  EXPECT_TRUE(std::none_of(names.begin(), names.end(), [](const std::string& n) { return n.rfind("1.0.0", 0) == 0; }));
}

TEST_F(UseEditsUserFiles, TheToolVersionsThatNamesTheToolIsTheOneEdited) {
  const std::string tool_versions = "# pins\r\nhello\t1.1.0   # old\r\nother 3\r\n";
  const std::string mise = "[tools]\nunrelated = \"1\"\n";
  std::string p = world.make_project("tv", ".tool-versions", tool_versions);
  world.make_project("tv", "mise.toml", mise);
  Output o = world.rtx({"use", "hello@2"}, p);
  ASSERT_EQ(o.status, 0) << o.err;
  EXPECT_EQ(world.read(p + "/.tool-versions"), "# pins\r\nhello\t2   # old\r\nother 3\r\n");
  EXPECT_EQ(world.read(p + "/mise.toml"), mise);
  EXPECT_FALSE(std::filesystem::exists(p + "/rtx.toml"));
}

}  // namespace
}  // namespace rtx::e2e
