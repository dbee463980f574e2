// Idiomatic version files end to end (issue 9 item 4): a team's committed
// .ruby-version drives the shim once ruby's idiomatic files are enabled, by
// the environment or the global config's setting; never otherwise.
#include <gtest/gtest.h>

#include "harness.hpp"

namespace rtx::e2e {
namespace {

class IdiomaticFiles : public ::testing::Test {
 protected:
  void SetUp() override {
    // The sample plugin under the name "ruby": its command is `hello`.
    world.link_sample_plugin("ruby");
    ASSERT_EQ(world.rtx({"install", "ruby@1.1.0", "ruby@2.0.0"}).status, 0);
    project = world.make_project("app", ".ruby-version", "ruby-1.1.0\n");
  }
  World world;
  std::string project;
};

TEST_F(IdiomaticFiles, IgnoredUntilEnabled) {
  Output o = world.shim("hello", {}, project);
  EXPECT_EQ(o.status, 127) << o.out;
  EXPECT_NE(o.err.find("no version of"), std::string::npos) << o.err;
}

TEST_F(IdiomaticFiles, EnabledByTheEnvironment) {
  world.set_env("RTX_IDIOMATIC_VERSION_FILE_ENABLE_TOOLS", "node,ruby");
  Output o = world.shim("hello", {}, project);
  ASSERT_EQ(o.status, 0) << o.err;
  EXPECT_EQ(o.out.rfind("hello 1.1.0", 0), 0u) << o.out;
  Output current = world.rtx({"current", "ruby"}, project);
  EXPECT_NE(current.out.find(project + "/.ruby-version"), std::string::npos) << current.out;
}

TEST_F(IdiomaticFiles, EnabledByTheGlobalSettingAndOutrankedByRtxToml) {
  world.make_project("config", "config.toml", "[settings]\nidiomatic_version_file_enable_tools = [\"ruby\"]\n");
  Output o = world.shim("hello", {}, project);
  ASSERT_EQ(o.status, 0) << o.err;
  EXPECT_EQ(o.out.rfind("hello 1.1.0", 0), 0u) << o.out;
  // `rtx use` writes rtx.toml beside it (as mise use does), which ranks first.
  Output use = world.rtx({"use", "ruby@2.0.0"}, project);
  ASSERT_EQ(use.status, 0) << use.err;
  EXPECT_EQ(world.read(project + "/.ruby-version"), "ruby-1.1.0\n");
  EXPECT_EQ(world.shim("hello", {}, project).out.rfind("hello 2.0.0", 0), 0u);
}

TEST_F(IdiomaticFiles, AMissingVersionIs127NeverAnotherOne) {
  world.set_env("RTX_IDIOMATIC_VERSION_FILE_ENABLE_TOOLS", "ruby");
  world.make_project("app", ".ruby-version", "3.3.0\n");
  world.set_env("RTX_AUTO_INSTALL", "0");
  Output o = world.shim("hello", {}, project);
  EXPECT_EQ(o.status, 127);
  EXPECT_NE(o.err.find("3.3.0"), std::string::npos) << o.err;
}

// A tracked .ruby-version (an rtx command read it) keeps the build it
// resolves to READY through an upgrade elsewhere, as any config does
// (DESIGN.md §7): the upgrade re-reads it as what it is, not as TOML.
TEST_F(IdiomaticFiles, ATrackedIdiomaticFileKeepsItsBuildThroughAnUpgrade) {
  world.set_env("RTX_IDIOMATIC_VERSION_FILE_ENABLE_TOOLS", "ruby");
  ASSERT_EQ(world.rtx({"current", "ruby"}, project).status, 0);  // now tracked
  std::string fuzzy = world.make_project("fuzzy", ".tool-versions", "ruby 1\n");
  world.set_env("HELLO_VERSIONS", "1.0.0 1.1.0 1.2.0 2.0.0");
  Output o = world.rtx({"upgrade", "ruby"}, fuzzy);
  ASSERT_EQ(o.status, 0) << o.err;
  EXPECT_NE(o.err.find("stays READY"), std::string::npos) << o.err;
  EXPECT_EQ(o.err.find("invalid TOML"), std::string::npos) << o.err;
  EXPECT_EQ(world.shim("hello", {}, fuzzy).out.rfind("hello 1.2.0", 0), 0u);
  EXPECT_EQ(world.shim("hello", {}, project).out.rfind("hello 1.1.0", 0), 0u);
}

}  // namespace
}  // namespace rtx::e2e
