// Issue 8, the places where rtx meets the rest of the machine: pins from the
// environment (DESIGN.md §5), commands a tool must not shadow (§4 "Not
// configured"), names that would add lines to rtx's line-based files (§2),
// config files another user planted (§4 "Which files count"), roots another
// user can write (§2), and what rtx echoes back (§4).
#include <gtest/gtest.h>
#include <sys/stat.h>
#include <unistd.h>

#include <filesystem>
#include <fstream>

#include "harness.hpp"
#include "store_probe.hpp"

namespace rtx::e2e {
namespace {

namespace fs = std::filesystem;

constexpr uid_t kStranger = 65534;  // nobody: "another user" in a root CI

class Trust : public ::testing::Test {
 protected:
  void SetUp() override {
    world.set_env("HELLO_VERSIONS", "1.0.0 1.1.0 2.0.0");
    world.link_sample_plugin();
    Output o = world.rtx({"install", "hello@1.1.0", "hello@2.0.0"});
    ASSERT_EQ(o.status, 0) << o.err;
    project = world.make_project("proj", ".tool-versions", "hello 1\n");
    build_1 = first_line(world.rtx({"where", "hello@1.1.0"}).out);
    build_2 = first_line(world.rtx({"where", "hello@2.0.0"}).out);
    ASSERT_FALSE(build_1.empty());
  }
  static std::string first_line(const std::string& s) { return s.substr(0, s.find('\n')); }

  // A build-shaped folder outside the store whose hello prints "EVIL".
  std::string plant_evil_build(const std::string& dir) const {
    std::string entry = dir + "/x-1";
    fs::create_directories(entry + "/bin");
    std::ofstream(entry + ".lease").flush();
    std::ofstream(entry + ".state") << "READY\n";
    std::ofstream(entry + "/bin/hello") << "#!/bin/sh\necho EVIL\n";
    ::chmod((entry + "/bin/hello").c_str(), 0755);
    return entry;
  }
  void expect_hello(const Output& o, const std::string& version) const {
    EXPECT_TRUE(prints_version(o, version)) << o.status << ": " << o.out << o.err;
    EXPECT_EQ(o.out.find("EVIL"), std::string::npos) << o.out;
  }

  World world;
  std::string project, build_1, build_2;
};

// --- 1. Pins are checked -----------------------------------------------------

TEST_F(Trust, APinToABuildOutsideTheStoreIsDropped) {
  std::string evil = plant_evil_build(world.root() + "/evil");
  world.set_env("RTX_PIN_HELLO", "hello\t1\t" + evil);
  Output o = world.shim("hello", {}, project);
  expect_hello(o, "1.1.0");
  EXPECT_NE(o.err.find("dropping the pin"), std::string::npos) << o.err;
}

TEST_F(Trust, APinThatClimbsOutOfTheStoreIsDropped) {
  plant_evil_build(world.root() + "/evil");
  world.set_env("RTX_PIN_HELLO", "hello\t1\t" + world.data() + "/store/hello/../../../evil/x-1");
  expect_hello(world.shim("hello", {}, project), "1.1.0");
}

TEST_F(Trust, APinThroughASymlinkInTheStoreIsDropped) {
  std::string evil = plant_evil_build(world.root() + "/evil");
  fs::create_directory_symlink(evil, world.data() + "/store/hello/1.1.0-evil");
  std::ofstream(world.data() + "/store/hello/1.1.0-evil.lease").flush();
  std::ofstream(world.data() + "/store/hello/1.1.0-evil.state") << "READY\n";
  world.set_env("RTX_PIN_HELLO", "hello\t1\t" + world.data() + "/store/hello/1.1.0-evil");
  expect_hello(world.shim("hello", {}, project), "1.1.0");
}

TEST_F(Trust, APinInTheOldFormatIsIgnored) {
  std::string evil = plant_evil_build(world.root() + "/evil");
  world.set_env("RTX_PIN_HELLO", "1\t" + evil);
  expect_hello(world.shim("hello", {}, project), "1.1.0");
}

TEST_F(Trust, APinToAVersionTheRequestDoesNotAllowIsDropped) {
  world.set_env("RTX_PIN_HELLO", "hello\t1\t" + build_2);
  Output o = world.shim("hello", {}, project);
  expect_hello(o, "1.1.0");
  EXPECT_NE(o.err.find("does not satisfy"), std::string::npos) << o.err;
}

TEST_F(Trust, AValidPinIsStillHonoured) {
  // A newer 1.x installed after the pin was made does not take over the
  // pinned process tree, and a valid pin draws no warning.
  world.set_env("HELLO_VERSIONS", "1.0.0 1.1.0 1.5.0 2.0.0");
  ASSERT_EQ(world.rtx({"install", "hello@1.5.0"}).status, 0);
  world.set_env("RTX_PIN_HELLO", "hello\t1\t" + build_1);
  Output o = world.shim("hello", {}, project);
  expect_hello(o, "1.1.0");
  EXPECT_EQ(o.err, "");
}

TEST_F(Trust, ToolsSharingAPinVariableDoNotTakeEachOthersPin) {
  auto plugin = [&](const std::string& name, const std::string& cmd) {
    std::string dir =
        world.write_plugin(name, {{"list-all", "echo 1.0.0 2.0.0"},
                                  {"install", "mkdir -p \"$ASDF_INSTALL_PATH/bin\"; printf '#!/bin/sh\\necho " + name +
                                                  " %s\\n' \"$ASDF_INSTALL_VERSION\" > \"$ASDF_INSTALL_PATH/bin/" +
                                                  cmd + "\"; chmod +x \"$ASDF_INSTALL_PATH/bin/" + cmd + "\""}});
    ASSERT_EQ(world.rtx({"plugins", "link", name, dir}).status, 0);
    ASSERT_EQ(world.rtx({"install", name + "@1.0.0", name + "@2.0.0"}).status, 0);
  };
  plugin("a-b", "dash");
  plugin("a_b", "under");
  std::string p = world.make_project("ab", ".tool-versions", "a-b 1\na_b 1\n");
  // a_b's pin (RTX_PIN_A_B) to its own 1.0.0 build is no pin for a-b.
  std::string under_1 = first_line(world.rtx({"where", "a_b@1.0.0"}).out);
  world.set_env("RTX_PIN_A_B", "a_b\t1\t" + under_1);
  Output dash = world.shim("dash", {}, p);
  EXPECT_EQ(dash.out, "a-b 1.0.0\n") << dash.err;
  // a pin claiming to be a-b's but pointing into a_b's store is dropped.
  world.set_env("RTX_PIN_A_B", "a-b\t1\t" + under_1);
  dash = world.shim("dash", {}, p);
  EXPECT_EQ(dash.out, "a-b 1.0.0\n") << dash.err;
  EXPECT_NE(dash.err.find("dropping the pin"), std::string::npos) << dash.err;
}

// --- 2. Commands a tool must not shadow ----------------------------------------

class Shadowing : public Trust {
 protected:
  void SetUp() override {
    Trust::SetUp();
    std::string body =
        "mkdir -p \"$ASDF_INSTALL_PATH/bin\"; for c in shadow ls rtx rtx-shim; do printf "
        "'#!/bin/sh\\necho shadow-%s\\n' \"$c\" > \"$ASDF_INSTALL_PATH/bin/$c\"; chmod +x "
        "\"$ASDF_INSTALL_PATH/bin/$c\"; done";
    std::string dir = world.write_plugin("shadow", {{"list-all", "echo 1.0.0"}, {"install", body}});
    ASSERT_EQ(world.rtx({"plugins", "link", "shadow", dir}).status, 0);
    install = world.rtx({"install", "shadow@1.0.0"});
    ASSERT_EQ(install.status, 0) << install.err;
  }
  Output install;
};

TEST_F(Shadowing, NoShimIsNamedRtx) {
  EXPECT_FALSE(fs::exists(world.shims() + "/rtx"));
  EXPECT_FALSE(fs::exists(world.shims() + "/rtx-shim"));
  EXPECT_TRUE(fs::exists(world.shims() + "/ls"));
  EXPECT_NE(install.err.find("rtx's own"), std::string::npos) << install.err;
  Output v = world.sh("rtx --version", project);
  EXPECT_EQ(v.status, 0) << v.err;
  EXPECT_NE(v.out.find("rtx "), std::string::npos) << v.out;
}

TEST_F(Shadowing, AnUnconfiguredToolFallsThroughToTheSystemCommand) {
  Output o = world.shim("ls", {"/"}, project);  // project configures hello only
  EXPECT_EQ(o.status, 0) << o.err;
  EXPECT_NE(o.out.find("usr"), std::string::npos) << o.out;
  EXPECT_EQ(o.out.find("shadow-ls"), std::string::npos);
}

TEST_F(Shadowing, AConfiguredToolStillProvidesTheCommand) {
  std::string p = world.make_project("shadowed", ".tool-versions", "shadow 1.0.0\n");
  EXPECT_EQ(world.shim("ls", {}, p).out, "shadow-ls\n");
}

TEST_F(Shadowing, AConfiguredButMissingVersionIsStill127) {
  std::string p = world.make_project("missing", ".tool-versions", "shadow 9.9.9\n");
  Output o = world.shim("ls", {"/"}, p);
  EXPECT_EQ(o.status, 127);
  EXPECT_NE(o.err.find("not installed"), std::string::npos) << o.err;
}

// --- 3. Names that would add lines ---------------------------------------------

TEST_F(Trust, ACommandNameWithALineBreakGetsNoShimAndCannotSplitTheIndex) {
  std::string body =
      "mkdir -p \"$ASDF_INSTALL_PATH/bin\"; for c in odd $'evil\\n\\e[31mname'; do printf "
      "'#!/bin/sh\\necho odd\\n' > \"$ASDF_INSTALL_PATH/bin/$c\"; chmod +x \"$ASDF_INSTALL_PATH/bin/$c\"; "
      "done";
  std::string dir = world.write_plugin("odd", {{"list-all", "echo 1.0.0"}, {"install", body}});
  ASSERT_EQ(world.rtx({"plugins", "link", "odd", dir}).status, 0);
  Output o = world.rtx({"install", "odd@1.0.0"});
  EXPECT_EQ(o.status, 0) << o.err;
  EXPECT_NE(o.err.find("control character"), std::string::npos) << o.err;
  EXPECT_EQ(o.err.find('\x1b'), std::string::npos) << "the name was echoed raw";
  std::string index = world.read(world.shims() + "/.index");
  EXPECT_EQ(index.find("evil"), std::string::npos) << index;
  EXPECT_EQ(index.find("name\t"), std::string::npos) << index;
  EXPECT_NE(index.find("odd\todd\n"), std::string::npos) << index;
  expect_hello(world.shim("hello", {}, project), "1.1.0");
}

// --- 5. Config files from elsewhere -------------------------------------------

TEST_F(Trust, AConfigOwnedByAnotherUserIsIgnoredWithAWarning) {
  std::string shared = world.make_project("shared", ".tool-versions", "hello 2\n");
  std::string planted = shared + "/sub";
  fs::create_directories(planted);
  std::ofstream(planted + "/rtx.toml") << "[tools]\nhello = \"1.0.0\"\n";
  ASSERT_EQ(::chown((planted + "/rtx.toml").c_str(), kStranger, kStranger), 0);
  Output o = world.shim("hello", {}, planted);
  expect_hello(o, "2.0.0");  // the user's own outer file answers
  EXPECT_NE(o.err.find(planted + "/rtx.toml"), std::string::npos) << o.err;
  EXPECT_NE(o.err.find("trusted_config_paths"), std::string::npos) << o.err;
  EXPECT_EQ(std::count(o.err.begin(), o.err.end(), '\n'), 1) << o.err;

  // Trusting the directory makes it count.
  std::ofstream(world.config() + "/config.toml") << "[settings]\ntrusted_config_paths = [\"" + shared + "\"]\n";
  Output trusted = world.shim("hello", {}, planted);
  EXPECT_EQ(trusted.status, 127) << trusted.err;  // 1.0.0 is not installed: the planted file now counts
  EXPECT_NE(trusted.err.find("1.0.0"), std::string::npos) << trusted.err;
}

TEST_F(Trust, AFifoNamedLikeAConfigDoesNotHang) {
  std::string dir = world.root() + "/fifo";
  fs::create_directories(dir);
  std::ofstream(world.root() + "/.tool-versions") << "hello 1\n";
  ASSERT_EQ(::mkfifo((dir + "/.tool-versions").c_str(), 0644), 0);
  expect_hello(world.shim("hello", {}, dir), "1.1.0");
  Output cur = world.rtx({"current", "hello"}, dir);
  EXPECT_EQ(cur.status, 0) << cur.err;
}

TEST_F(Trust, AConfigLinkedToADeviceIsSkipped) {
  std::string dir = world.root() + "/zero";
  fs::create_directories(dir);
  std::ofstream(world.root() + "/.tool-versions") << "hello 1\n";
  fs::create_symlink("/dev/zero", dir + "/rtx.toml");
  expect_hello(world.shim("hello", {}, dir), "1.1.0");
}

TEST_F(Trust, AConfigOverOneMebibyteIsOneErrorNamingIt) {
  std::string dir = world.root() + "/huge";
  fs::create_directories(dir);
  {
    std::ofstream f(dir + "/rtx.toml");
    f << "[tools]\nhello = \"1\"\n";
    f << std::string(2 << 20, '#') << "\n";
  }
  Output o = world.shim("hello", {}, dir);
  EXPECT_EQ(o.status, 126);
  EXPECT_NE(o.err.find(dir + "/rtx.toml"), std::string::npos) << o.err;
  EXPECT_NE(o.err.find("1 MiB"), std::string::npos) << o.err;
  EXPECT_EQ(std::count(o.err.begin(), o.err.end(), '\n'), 1) << o.err;
}

// --- 7. Roots another user can write -------------------------------------------

TEST_F(Trust, AWorldWritableDataDirIsRefusedAndReportedByDoctor) {
  ASSERT_EQ(::chmod(world.data().c_str(), 0777), 0);
  Output ls = world.rtx({"ls"});
  EXPECT_NE(ls.status, 0);
  EXPECT_NE(ls.err.find("refusing to use " + world.data()), std::string::npos) << ls.err;
  EXPECT_NE(ls.err.find("chmod go-w"), std::string::npos) << ls.err;
  Output doctor = world.rtx({"doctor"});
  EXPECT_NE(doctor.status, 0);
  EXPECT_NE(doctor.out.find("problem: " + world.data()), std::string::npos) << doctor.out;
  ::chmod(world.data().c_str(), 0755);
  EXPECT_EQ(world.rtx({"ls"}).status, 0);
}

TEST_F(Trust, AStoreOwnedByAnotherUserIsRefused) {
  ASSERT_EQ(::chown((world.data() + "/store").c_str(), kStranger, kStranger), 0);
  Output o = world.rtx({"install", "hello@1.0.0"});
  EXPECT_NE(o.status, 0);
  EXPECT_NE(o.err.find("owned by uid 65534"), std::string::npos) << o.err;
  EXPECT_EQ(world.rtx({"where", "hello@1.0.0"}).status, 1) << "nothing was installed";
  Output doctor = world.rtx({"doctor"});
  EXPECT_NE(doctor.out.find(world.data() + "/store"), std::string::npos) << doctor.out;
}

TEST_F(Trust, ADataDirThatIsASymlinkLoopIsAnError) {
  std::string loop = world.data();
  fs::remove_all(loop);
  fs::create_symlink(loop, loop);
  Output o = world.rtx({"ls"});
  EXPECT_NE(o.status, 0);
  EXPECT_NE(o.err.find(loop), std::string::npos) << o.err;
}

// --- 11. Messages and names ------------------------------------------------------

TEST_F(Trust, TerminalEscapesFromAConfigAreNotEchoedRaw) {
  std::string dir = world.make_project("esc", "rtx.toml", "[tools]\nhello = \"1\\u001b]0;HACKED\\u0007\"\n");
  for (const Output& o : {world.rtx({"current"}, dir), world.shim("hello", {}, dir)}) {
    EXPECT_NE(o.status, 0);
    EXPECT_EQ(o.err.find('\x1b'), std::string::npos) << o.err;
    EXPECT_EQ(o.err.find('\x07'), std::string::npos) << o.err;
    EXPECT_NE(o.err.find("\\e]0;HACKED"), std::string::npos) << o.err;
  }
}

TEST_F(Trust, BadToolNamesAndVersionsAreRefusedBeforeTouchingFiles) {
  Output empty = world.rtx({"ls-remote", ""});
  EXPECT_NE(empty.status, 0);
  EXPECT_NE(empty.err.find("is empty"), std::string::npos) << empty.err;
  Output slash = world.rtx({"ls-remote", "hello/bin"});
  EXPECT_NE(slash.status, 0);
  EXPECT_NE(slash.err.find("not allowed"), std::string::npos) << slash.err;
  Output to = world.rtx({"rollback", "hello", "--to", "../x"});
  EXPECT_NE(to.status, 0);
  EXPECT_NE(to.err.find("'../x'"), std::string::npos) << to.err;
  EXPECT_NE(world.rtx({"uninstall", "../hello@1.1.0"}).status, 0);
  expect_hello(world.shim("hello", {}, project), "1.1.0");
}

TEST_F(Trust, AHugeToolNameIsCutInTheMessage) {
  Output o = world.rtx({"ls-remote", std::string(100000, 'x')});
  EXPECT_NE(o.status, 0);
  EXPECT_LT(o.err.size(), 4096u) << o.err.size();
  Output use = world.rtx({"install", std::string(100000, 'y') + "@1"});
  EXPECT_NE(use.status, 0);
  EXPECT_LT(use.err.size(), 4096u) << use.err.size();
}

TEST_F(Trust, ExecUnderAMalformedConfigExits126) {
  std::string dir = world.make_project("broken", ".rtx.toml", "[tools]\nhello = 1.5\n");
  Output o = world.rtx({"exec", "--", "hello"}, dir);
  EXPECT_EQ(o.status, 126) << o.err;
  EXPECT_NE(o.err.find(dir + "/.rtx.toml:2"), std::string::npos) << o.err;
}

}  // namespace
}  // namespace rtx::e2e
