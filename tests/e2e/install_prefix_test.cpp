// Getting rtx (issue 9 item 1): `cmake --install` into a temporary prefix
// gives rtx, rtx-shim, the man page, completions and the sample plugin; the
// demo scenario then runs from that prefix alone (no build dir on PATH); and
// `cpack -G DEB` packs a .deb that declares its Debian dependencies.
#include <gtest/gtest.h>
#include <sys/stat.h>

#include <filesystem>
#include <string>

#include "harness.hpp"

namespace rtx::e2e {
namespace {

namespace fs = std::filesystem;

class InstallPrefix : public ::testing::Test {
 protected:
  void SetUp() override {
    prefix = world.root() + "/prefix";
    Output o = world.sh("cmake --install '" RTX_BUILD_DIR "' --prefix '" + prefix + "'");
    ASSERT_EQ(o.status, 0) << o.out << o.err;
  }
  World world;
  std::string prefix;
};

TEST_F(InstallPrefix, PutsEachFileWhereItsUsersLook) {
  for (const char* file : {"bin/rtx", "bin/rtx-shim", "share/man/man1/rtx.1", "share/bash-completion/completions/rtx",
                           "share/zsh/vendor-completions/_rtx", "share/fish/vendor_completions.d/rtx.fish",
                           "share/rtx/examples/asdf-hello/bin/install"})
    EXPECT_TRUE(fs::exists(prefix + "/" + file)) << file;
  struct stat st {};
  ASSERT_EQ(::stat((prefix + "/bin/rtx-shim").c_str(), &st), 0);
  EXPECT_TRUE(st.st_mode & S_IXUSR);
}

TEST_F(InstallPrefix, TheManPageRendersWithoutWarningsAndCoversEveryCommand) {
  Output o = world.sh("MANWIDTH=100 man --warnings -l '" + prefix + "/share/man/man1/rtx.1'");
  ASSERT_EQ(o.status, 0) << o.err;
  EXPECT_EQ(o.err, "");
  for (const char* cmd : {"rtx install", "rtx activate", "rtx plugins add", "rtx rollback", "--dry-run"})
    EXPECT_NE(o.out.find(cmd), std::string::npos) << cmd;
  EXPECT_EQ(o.out.find("__reap-wait"), std::string::npos) << "a hidden command is in the man page";
}

TEST_F(InstallPrefix, TheDemoRunsFromThePrefixAlone) {
  // A clean PATH: the prefix's bin and the system, never the build dir.
  world.set_env("PATH", prefix + "/bin:/usr/bin:/bin");
  Output o = world.sh("'" RTX_SOURCE_DIR "/scripts/demo_run.sh' '" + prefix + "/share/rtx/examples/asdf-hello'");
  ASSERT_EQ(o.status, 0) << o.out << o.err;
  EXPECT_NE(o.out.find("failed: 0;"), std::string::npos) << o.out;
  EXPECT_NE(o.out.find("all on its first version: yes"), std::string::npos) << o.out;
  EXPECT_EQ(o.out.find(RTX_BUILD_DIR), std::string::npos) << "the build dir was used: " << o.out;
}

TEST_F(InstallPrefix, ShimsRunTheShimBesideTheInstalledRtx) {
  world.set_env("PATH", prefix + "/bin:/usr/bin:/bin");
  ASSERT_EQ(world.sh("rtx plugins link hello '" + prefix + "/share/rtx/examples/asdf-hello' && rtx install hello@1.1.0")
                .status,
            0);
  EXPECT_EQ(fs::read_symlink(world.shims() + "/hello").string(), prefix + "/bin/rtx-shim");
}

TEST_F(InstallPrefix, CpackMakesADebThatDeclaresItsDependencies) {
  std::string out = world.root() + "/deb";
  Output o = world.sh("cpack -G DEB -B '" + out + "' --config '" RTX_BUILD_DIR "/CPackConfig.cmake'");
  ASSERT_EQ(o.status, 0) << o.out << o.err;
  Output deb = world.sh("ls '" + out + "'/rtx_*.deb");
  ASSERT_EQ(deb.status, 0) << deb.err;
  std::string file = deb.out.substr(0, deb.out.find('\n'));
  Output depends = world.sh("dpkg-deb -f '" + file + "' Depends");
  for (const char* lib : {"libcurl4", "libarchive13", "libssl3"})
    EXPECT_NE(depends.out.find(lib), std::string::npos) << lib << " missing from: " << depends.out;
  Output root = world.sh("dpkg-deb -x '" + file + "' '" + out + "/root' && '" + out + "/root/usr/bin/rtx' --version");
  EXPECT_EQ(root.status, 0) << root.err;
  EXPECT_EQ(root.out.rfind("rtx ", 0), 0u) << root.out;
  EXPECT_TRUE(fs::exists(out + "/root/usr/bin/rtx-shim"));
  EXPECT_TRUE(fs::exists(out + "/root/usr/share/man/man1/rtx.1"));
  // `apt install ./rtx_*.deb` accepts it and finds every dependency it
  // declares (simulated, -s: nothing on this machine changes).
  Output apt = world.sh("apt-get install -s '" + file + "'");
  EXPECT_EQ(apt.status, 0) << apt.out << apt.err;
  EXPECT_NE(apt.out.find("Inst rtx "), std::string::npos) << apt.out;
}

}  // namespace
}  // namespace rtx::e2e
