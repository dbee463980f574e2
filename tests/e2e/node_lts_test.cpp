// node's LTS names in configs, end to end (issue 4 item 3, docs/decisions.md):
// `node = "lts"`, `lts-<codename>` and nvm's `lts/<codename>` install, run
// through the shim, and upgrade side by side like version prefixes do.
#include <gtest/gtest.h>

#include "harness.hpp"
#include "mirror_fixture.hpp"

namespace rtx::e2e {
namespace {

class NodeLts : public ::testing::Test {
 protected:
  void SetUp() override { world.set_env("RTX_NODE_MIRROR", node.url()); }

  std::string node_version(const std::string& cwd) const {
    Output o = world.shim("node", {"--version"}, cwd);
    EXPECT_EQ(o.status, 0) << o.err;
    return o.out;
  }
  std::string state_of(const std::string& version) const {
    for (const auto& name : world.store_names("node"))
      if (name.rfind(version + "-", 0) == 0 && name.size() > 6 && name.substr(name.size() - 6) == ".state")
        return world.read(world.data() + "/store/node/" + name).substr(0, 5);
    return "gone";
  }

  test::HttpServer server;
  NodeMirror node{server, "/dist"};
  World world;
};

TEST_F(NodeLts, LtsInAConfigInstallsAndRunsTheNewestLts) {
  node.add("18.19.1", "Hydrogen");
  node.add("20.10.0", "Iron");
  node.add("21.6.2");
  std::string p = world.make_project("p", "rtx.toml", "[tools]\nnode = \"lts\"\n");
  Output o = world.rtx({"install"}, p);
  ASSERT_EQ(o.status, 0) << o.err;
  EXPECT_EQ(node_version(p), "v20.10.0\n");
  EXPECT_EQ(world.rtx({"ls-remote", "node", "lts"}).out, "20.10.0\n");  // what lts means today
  EXPECT_EQ(world.rtx({"ls-remote", "node", "lts/hydrogen"}).out, "18.19.1\n");
  Output current = world.rtx({"current", "node"}, p);
  EXPECT_EQ(current.status, 0) << current.err;
  EXPECT_NE(current.out.find("20.10.0"), std::string::npos) << current.out;
}

TEST_F(NodeLts, NvmStyleCodenamesInToolVersions) {
  node.add("18.19.1", "Hydrogen");
  node.add("20.10.0", "Iron");
  std::string p = world.make_project("p", ".tool-versions", "node lts/hydrogen\n");
  ASSERT_EQ(world.rtx({"install"}, p).status, 0);
  EXPECT_EQ(node_version(p), "v18.19.1\n");
  std::string q = world.make_project("q", "rtx.toml", "[tools]\nnode = \"LTS-Iron\"\n");
  ASSERT_EQ(world.rtx({"install"}, q).status, 0);
  EXPECT_EQ(node_version(q), "v20.10.0\n");
  EXPECT_EQ(node_version(p), "v18.19.1\n") << "a second LTS line leaves the first one's alias alone";
}

TEST_F(NodeLts, UnknownCodenameIsOneClearError) {
  node.add("20.10.0", "Iron");
  Output o = world.rtx({"install", "node@lts/argonaut"});
  EXPECT_NE(o.status, 0);
  EXPECT_NE(o.err.find("no node LTS release named 'argonaut'"), std::string::npos) << o.err;
  EXPECT_NE(o.err.find("known LTS lines: iron"), std::string::npos) << o.err;
}

// Upgrading "lts" moves to the new LTS line; a config asking for the old line
// by name keeps its build READY until it upgrades too.
TEST_F(NodeLts, UpgradeMovesLtsAndKeepsWhatACodenameStillNeeds) {
  node.add("20.10.0", "Iron");
  std::string any = world.make_project("any", "rtx.toml", "[tools]\nnode = \"lts\"\n");
  std::string iron = world.make_project("iron", "rtx.toml", "[tools]\nnode = \"lts-iron\"\n");
  ASSERT_EQ(world.rtx({"install"}, any).status, 0);
  ASSERT_EQ(world.rtx({"install"}, iron).status, 0);
  ASSERT_EQ(node_version(iron), "v20.10.0\n");  // the rtx reads tracked both configs

  node.add("20.11.1", "Iron");
  node.add("22.1.0", "Jod");
  node.add("23.0.0");
  Output up = world.rtx({"upgrade"}, any);
  ASSERT_EQ(up.status, 0) << up.err;
  EXPECT_NE(up.err.find("upgraded node lts to 22.1.0"), std::string::npos) << up.err;
  EXPECT_EQ(node_version(any), "v22.1.0\n");
  EXPECT_EQ(node_version(iron), "v20.10.0\n");
  EXPECT_EQ(state_of("20.10.0"), "READY") << "lts-iron still resolves to it";

  Output up_iron = world.rtx({"upgrade"}, iron);
  ASSERT_EQ(up_iron.status, 0) << up_iron.err;
  EXPECT_EQ(node_version(iron), "v20.11.1\n");
  EXPECT_EQ(node_version(any), "v22.1.0\n");
  EXPECT_NE(state_of("20.10.0"), "READY") << "nothing asks for 20.10.0 any more";
  Output again = world.rtx({"upgrade", "--dry-run"}, any);
  EXPECT_EQ(again.status, 0) << again.err;
  EXPECT_EQ(again.out, "") << "lts is up to date";
}

}  // namespace
}  // namespace rtx::e2e
