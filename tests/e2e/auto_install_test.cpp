// Auto-install (issue 9 item 6, DESIGN.md §4): a project asks for a version
// this machine lacks (a teammate bumped it); `cd project && hello` installs it
// and runs it, stdout clean; off by RTX_AUTO_INSTALL=0 or the setting; a failed
// install is 127 and runs nothing; two shims missing the same version build it
// once. The shim exists because another version of the tool is installed:
// shims come from installed builds, so a tool never installed here needs one
// `rtx install` first (docs/decisions.md).
#include <gtest/gtest.h>

#include <algorithm>

#include "harness.hpp"

namespace rtx::e2e {
namespace {

class AutoInstall : public ::testing::Test {
 protected:
  void SetUp() override {
    world.link_sample_plugin();
    ASSERT_EQ(world.rtx({"install", "hello@2.0.0"}).status, 0);
    world.set_env("RTX_AUTO_INSTALL", "1");
    project = world.make_project("app", ".tool-versions", "hello 1.1.0\n");
  }
  // Build directories of hello (not their .state/.lease/.meta files).
  std::size_t builds() const {
    auto names = world.store_names("hello");
    return std::size_t(std::count_if(names.begin(), names.end(), [](const std::string& n) {
      return n.find('-') != std::string::npos && n.find('.', n.find('-')) == std::string::npos;
    }));
  }
  World world;
  std::string project;
};

TEST_F(AutoInstall, AMissingVersionIsInstalledThenRunsWithACleanStdout) {
  Output o = world.shim("hello", {"once"}, project);
  ASSERT_EQ(o.status, 0) << o.err;
  EXPECT_EQ(o.out.rfind("hello 1.1.0 from " + world.data() + "/store/hello/1.1.0-", 0), 0u) << o.out;
  EXPECT_NE(o.out.find(" once\n"), std::string::npos) << o.out;
  EXPECT_EQ(o.out.find("install"), std::string::npos) << "progress reached stdout: " << o.out;
  EXPECT_NE(o.err.find("auto-installing hello@1.1.0"), std::string::npos) << o.err;
  EXPECT_EQ(builds(), 2u);
  // Next time it is simply there.
  Output again = world.shim("hello", {}, project);
  EXPECT_EQ(again.err, "");
}

TEST_F(AutoInstall, OffByTheVariableOrTheSetting) {
  world.set_env("RTX_AUTO_INSTALL", "0");
  Output off = world.shim("hello", {}, project);
  EXPECT_EQ(off.status, 127);
  EXPECT_NE(off.err.find("is not installed"), std::string::npos) << off.err;
  world.set_env("RTX_AUTO_INSTALL", "");  // empty: unset for rtx, so the setting decides
  world.make_project("config", "config.toml", "[settings]\nauto_install = false\n");
  Output setting = world.shim("hello", {}, project);
  EXPECT_EQ(setting.status, 127) << setting.out;
  EXPECT_EQ(builds(), 1u);
}

TEST_F(AutoInstall, AFailedInstallIs127AndRunsNothingElse) {
  world.make_project("app", ".tool-versions", "hello 9.9.9\n");
  Output o = world.shim("hello", {}, project);
  EXPECT_EQ(o.status, 127);
  EXPECT_EQ(o.out, "") << "another version ran";
  EXPECT_NE(o.err.find("no version of hello matches '9.9.9'"), std::string::npos) << o.err;
}

TEST_F(AutoInstall, TwoShimsMissingTheSameVersionBuildItOnce) {
  Background a = world.sh_background("cd '" + project + "' && hello > a.out 2> a.err");
  Background b = world.sh_background("cd '" + project + "' && hello > b.out 2> b.err");
  EXPECT_EQ(a.wait(), 0) << world.read(project + "/a.err");
  EXPECT_EQ(b.wait(), 0) << world.read(project + "/b.err");
  EXPECT_EQ(world.read(project + "/a.out").rfind("hello 1.1.0", 0), 0u);
  EXPECT_EQ(world.read(project + "/b.out").rfind("hello 1.1.0", 0), 0u);
  EXPECT_EQ(builds(), 2u);
}

}  // namespace
}  // namespace rtx::e2e
