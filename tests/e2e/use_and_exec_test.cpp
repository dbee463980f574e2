// rtx use writes the config and keeps the rest of it; rtx exec resolves and
// pins as a shim does; `system` runs the tool from PATH outside the shims.
#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>

#include "harness.hpp"

namespace rtx::e2e {
namespace {

class UseAndExec : public ::testing::Test {
 protected:
  void SetUp() override {
    world.link_sample_plugin();
    ASSERT_EQ(world.rtx({"install", "hello@1.1.0", "hello@2.0.0"}).status, 0);
  }
  World world;
};

TEST_F(UseAndExec, UseWritesRtxTomlKeepingOtherKeys) {
  std::string p = world.make_project("proj", "rtx.toml", "[env]\nFOO = \"bar\"\n\n[tools]\nother = \"3\"\n");
  Output o = world.rtx({"use", "hello@1"}, p);
  ASSERT_EQ(o.status, 0) << o.err;
  std::string text = world.read(p + "/rtx.toml");
  EXPECT_EQ(text, "[env]\nFOO = \"bar\"\n\n[tools]\nother = \"3\"\nhello = \"1\"\n");
  EXPECT_EQ(world.shim("hello", {}, p).out.rfind("hello 1.1.0", 0), 0u);
}

TEST_F(UseAndExec, UseInstallsWhatIsMissing) {
  std::string p = world.make_project("fresh", "README", "");
  Output o = world.rtx({"use", "hello@1.0"}, p);
  ASSERT_EQ(o.status, 0) << o.err;
  EXPECT_EQ(world.shim("hello", {}, p).out.rfind("hello 1.0.0", 0), 0u);
}

// Several tools in one call; a bad spec anywhere changes nothing at all.
TEST_F(UseAndExec, UseTakesSeveralToolsAndChecksThemAllFirst) {
  world.link_sample_plugin("hola");
  std::string p = world.make_project("multi", "rtx.toml", "# ours\n[tools]\n");
  Output bad = world.rtx({"use", "hello@1", "hola@../x"}, p);
  EXPECT_NE(bad.status, 0);
  EXPECT_EQ(world.read(p + "/rtx.toml"), "# ours\n[tools]\n");
  EXPECT_TRUE(world.store_names("hola").empty());
  Output o = world.rtx({"use", "hello@1", "hola@2.0.0"}, p);
  ASSERT_EQ(o.status, 0) << o.err;
  EXPECT_EQ(world.read(p + "/rtx.toml"), "# ours\n[tools]\nhello = \"1\"\nhola = \"2.0.0\"\n");
  EXPECT_FALSE(world.store_names("hola").empty());
}

TEST_F(UseAndExec, UseGlobalWritesTheGlobalConfig) {
  ASSERT_EQ(world.rtx({"use", "--global", "hello@2.0.0"}).status, 0);
  EXPECT_NE(world.read(world.config() + "/config.toml").find("hello = \"2.0.0\""), std::string::npos);
  std::string elsewhere = world.make_project("elsewhere", "README", "");
  EXPECT_EQ(world.shim("hello", {}, elsewhere).out.rfind("hello 2.0.0", 0), 0u);
}

TEST_F(UseAndExec, ExecRunsTheRequestedVersionAndPinsIt) {
  Output o = world.rtx({"exec", "hello@2", "--", "sh", "-c", "hello; echo \"$RTX_PIN_HELLO\""});
  ASSERT_EQ(o.status, 0) << o.err;
  EXPECT_EQ(o.out.rfind("hello 2.0.0", 0), 0u) << o.out;
  EXPECT_NE(o.out.find("\nhello\t2\t" + world.data() + "/store/hello/2.0.0-"), std::string::npos) << o.out;
}

TEST_F(UseAndExec, ExecOfAMissingVersionExits127) {
  Output o = world.rtx({"exec", "hello@9", "--", "hello"});
  EXPECT_EQ(o.status, 127);
  EXPECT_NE(o.err.find("not installed"), std::string::npos) << o.err;
}

TEST_F(UseAndExec, SystemRunsTheToolFromPathOutsideTheShims) {
  std::string sys = world.root() + "/sysbin";
  std::filesystem::create_directories(sys);
  std::ofstream(sys + "/hello") << "#!/bin/sh\necho system hello\n";
  std::filesystem::permissions(sys + "/hello", std::filesystem::perms::owner_all);
  std::string p = world.make_project("sysproj", ".tool-versions", "hello system\n");
  Output o = world.sh("PATH=\"$PATH:" + sys + "\" hello", p);
  EXPECT_EQ(o.status, 0) << o.err;
  EXPECT_EQ(o.out, "system hello\n");
}

}  // namespace
}  // namespace rtx::e2e
