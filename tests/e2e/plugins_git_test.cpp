// rtx plugins add/update/remove with real git repositories on disk.
#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>

#include "harness.hpp"

namespace rtx::e2e {
namespace {

namespace fs = std::filesystem;

class PluginsFromGit : public ::testing::Test {
 protected:
  void SetUp() override {
    repo = world.root() + "/repo";
    fs::copy(source_dir() + "/examples/asdf-hello", repo, fs::copy_options::recursive);
    git("init -q && git add -A && git commit -qm v1 && git tag v1");
  }
  void git(const std::string& cmd) {
    Output o = world.sh("cd " + repo + " && " + expand(cmd));
    ASSERT_EQ(o.status, 0) << o.err;
  }
  static std::string expand(const std::string& cmd) {
    // every "git" in cmd gets the identity, so commits work on a bare machine
    std::string out = "git " + cmd;
    std::string with_id = "git -c user.name=t -c user.email=t@example.invalid";
    std::size_t pos = 0;
    while ((pos = out.find("git ", pos)) != std::string::npos) {
      out.replace(pos, 4, with_id + " ");
      pos += with_id.size() + 1;
    }
    return out;
  }
  void offer_version_3() {
    std::ofstream(repo + "/bin/list-all") << "#!/usr/bin/env bash\necho 1.0.0 3.0.0\n";
    git("commit -qam v2");
  }
  bool plugin_dir_clean() const {
    for (const auto& e : fs::directory_iterator(world.data() + "/plugins"))
      if (e.path().filename().string().rfind(".tmp-", 0) == 0) return false;
    return true;
  }
  World world;
  std::string repo;
};

TEST_F(PluginsFromGit, AddInstallUpdateRemove) {
  Output add = world.rtx({"plugins", "add", "hello", repo});
  ASSERT_EQ(add.status, 0) << add.err;
  EXPECT_NE(world.rtx({"plugins", "ls"}).out.find("hello"), std::string::npos);
  ASSERT_EQ(world.rtx({"install", "hello@1.0.0"}).status, 0);

  offer_version_3();
  EXPECT_EQ(world.rtx({"ls-remote", "hello"}).out.find("3.0.0"), std::string::npos);  // not fetched yet
  Output up = world.rtx({"plugins", "update", "hello"});
  ASSERT_EQ(up.status, 0) << up.err;
  EXPECT_EQ(world.rtx({"ls-remote", "hello"}).out, "1.0.0\n3.0.0\n");

  Output rm = world.rtx({"plugins", "remove", "hello"});
  ASSERT_EQ(rm.status, 0) << rm.err;
  EXPECT_FALSE(fs::exists(world.data() + "/plugins/hello"));
  std::string p = world.make_project("p", ".tool-versions", "hello 1.0.0\n");
  EXPECT_EQ(world.shim("hello", {}, p).out.rfind("hello 1.0.0", 0), 0u) << "removing a plugin broke its installs";
}

TEST_F(PluginsFromGit, ARefIsKeptAcrossUpdates) {
  ASSERT_EQ(world.rtx({"plugins", "add", "hello", repo, "--ref", "v1"}).status, 0);
  offer_version_3();
  ASSERT_EQ(world.rtx({"plugins", "update"}).status, 0);
  EXPECT_EQ(world.rtx({"ls-remote", "hello"}).out.find("3.0.0"), std::string::npos);
}

TEST_F(PluginsFromGit, BadSourcesLeaveNothingBehind) {
  Output missing = world.rtx({"plugins", "add", "hello", world.root() + "/no-such-repo"});
  EXPECT_NE(missing.status, 0);
  EXPECT_NE(missing.err.find("rtx: adding plugin hello from"), std::string::npos) << missing.err;
  EXPECT_FALSE(fs::exists(world.data() + "/plugins/hello"));
  EXPECT_TRUE(plugin_dir_clean());

  std::string not_plugin = world.root() + "/not-plugin";
  fs::create_directories(not_plugin);
  std::ofstream(not_plugin + "/README") << "hi\n";
  ASSERT_EQ(world.sh("cd " + not_plugin + " && " + expand("init -q && git add -A && git commit -qm x")).status, 0);
  Output wrong = world.rtx({"plugins", "add", "hello", not_plugin});
  EXPECT_NE(wrong.status, 0);
  EXPECT_NE(wrong.err.find("is not an asdf plugin"), std::string::npos) << wrong.err;
  EXPECT_FALSE(fs::exists(world.data() + "/plugins/hello"));
  EXPECT_TRUE(plugin_dir_clean());
}

TEST_F(PluginsFromGit, RegistryNamesTellHowToAddThePlugin) {
  Output o = world.rtx({"install", "ruby@3"});
  EXPECT_NE(o.status, 0);
  EXPECT_NE(o.err.find("rtx plugins add ruby"), std::string::npos) << o.err;
  Output u = world.rtx({"plugins", "add", "nosuchthing"});
  EXPECT_NE(u.status, 0);
  EXPECT_NE(u.err.find("no plugin URL known for 'nosuchthing'"), std::string::npos) << u.err;
}

}  // namespace
}  // namespace rtx::e2e
