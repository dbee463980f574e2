// Install two versions through the sample asdf plugin and run the tool through
// its shim from two projects that ask for different versions.
#include <gtest/gtest.h>
#include <simdjson.h>

#include "harness.hpp"

namespace rtx::e2e {
namespace {

class InstallAndRun : public ::testing::Test {
 protected:
  void SetUp() override {
    world.link_sample_plugin();
    Output o = world.rtx({"install", "hello@1", "hello@2.0.0"});
    ASSERT_EQ(o.status, 0) << o.err;
    old_project = world.make_project("old", ".tool-versions", "hello 1\n");
    new_project = world.make_project("new", "rtx.toml", "[tools]\nhello = \"2\"\n");
  }
  World world;
  std::string old_project, new_project;
};

TEST_F(InstallAndRun, EachProjectGetsTheVersionItAsksFor) {
  Output a = world.shim("hello", {"from", "old"}, old_project);
  Output b = world.shim("hello", {}, new_project);
  ASSERT_EQ(a.status, 0) << a.err;
  ASSERT_EQ(b.status, 0) << b.err;
  EXPECT_EQ(a.out.rfind("hello 1.1.0 from " + world.data() + "/store/hello/1.1.0-", 0), 0u) << a.out;
  EXPECT_NE(a.out.find(" from old\n"), std::string::npos) << a.out;
  EXPECT_EQ(b.out.rfind("hello 2.0.0 from ", 0), 0u) << b.out;
}

TEST_F(InstallAndRun, SubdirectoriesInheritTheNearestConfig) {
  std::string deep = world.make_project("old/a/b/c", "README", "");
  EXPECT_EQ(world.shim("hello", {}, deep).out.rfind("hello 1.1.0", 0), 0u);
}

TEST_F(InstallAndRun, EnvironmentVariableWinsOverConfig) {
  world.set_env("RTX_HELLO_VERSION", "2.0.0");
  EXPECT_EQ(world.shim("hello", {}, old_project).out.rfind("hello 2.0.0", 0), 0u);
}

TEST_F(InstallAndRun, QueriesAgreeWithTheShim) {
  Output current = world.rtx({"current", "hello"}, old_project);
  EXPECT_EQ(current.status, 0) << current.err;
  EXPECT_NE(current.out.find("1.1.0"), std::string::npos) << current.out;
  Output which = world.rtx({"which", "hello"}, new_project);
  EXPECT_EQ(which.status, 0) << which.err;
  EXPECT_NE(which.out.find("/store/hello/2.0.0-"), std::string::npos) << which.out;
  EXPECT_NE(which.out.find("/bin/hello\n"), std::string::npos) << which.out;
  Output where = world.rtx({"where", "hello@1"});
  EXPECT_EQ(where.status, 0) << where.err;
  EXPECT_NE(where.out.find("/store/hello/1.1.0-"), std::string::npos);
  Output remote = world.rtx({"ls-remote", "hello", "2"});
  EXPECT_EQ(remote.out, "2.0.0\n");  // 2.1.0-rc1 is a prerelease: prefixes skip it
}

TEST_F(InstallAndRun, LsJsonListsBothReadyBuilds) {
  Output o = world.rtx({"ls", "--json"});
  ASSERT_EQ(o.status, 0) << o.err;
  simdjson::dom::parser parser;
  simdjson::dom::element doc = parser.parse(o.out);
  std::vector<std::string> versions;
  for (simdjson::dom::element item : doc.get_array()) {
    EXPECT_EQ(std::string_view(item["tool"]), "hello");
    EXPECT_EQ(std::string_view(item["state"]), "READY");
    EXPECT_TRUE(bool(item["active"]));
    versions.emplace_back(std::string_view(item["version"]));
  }
  EXPECT_EQ(versions, (std::vector<std::string>{"1.1.0", "2.0.0"}));
}

TEST_F(InstallAndRun, InstallWithoutArgumentsInstallsWhatTheConfigAsks) {
  std::string p = world.make_project("third", ".tool-versions", "hello 2.1.0-rc1 1.0.0\n");
  Output o = world.rtx({"install"}, p);
  ASSERT_EQ(o.status, 0) << o.err;
  EXPECT_EQ(world.shim("hello", {}, p).out.rfind("hello 2.1.0-rc1", 0), 0u);
  EXPECT_TRUE(world.rtx({"where", "hello@1.0.0"}).status == 0);
}

TEST_F(InstallAndRun, SecondInstallIsANoOp) {
  auto before = world.store_names("hello");
  Output o = world.rtx({"install", "hello@2.0.0"});
  EXPECT_EQ(o.status, 0);
  EXPECT_NE(o.err.find("already installed"), std::string::npos) << o.err;
  EXPECT_EQ(world.store_names("hello"), before);
}

TEST_F(InstallAndRun, ExecEnvIsAppliedWithoutRunningThePlugin) {
  Output o = world.sh("hello --run sh -c 'echo HOME_IS=$HELLO_HOME'", old_project);
  ASSERT_EQ(o.status, 0) << o.err;
  EXPECT_NE(o.out.find("HOME_IS=" + world.data() + "/store/hello/1.1.0-"), std::string::npos) << o.out;
}

TEST_F(InstallAndRun, UninstallRemovesAFreeBuild) {
  Output o = world.rtx({"uninstall", "hello@2.0.0"});
  ASSERT_EQ(o.status, 0) << o.err;
  for (const auto& n : world.store_names("hello")) EXPECT_EQ(n.rfind("2.0.0-", 0), std::string::npos) << n;
  Output s = world.shim("hello", {}, new_project);
  EXPECT_EQ(s.status, 127);
  EXPECT_NE(s.err.find("rtx install hello@2"), std::string::npos) << s.err;
}

}  // namespace
}  // namespace rtx::e2e
