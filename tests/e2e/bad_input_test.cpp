// Every bad input: one clear line on stderr, a non-zero exit, nothing installed
// changes, no BUILDING or FAILED leftovers.
#include <gtest/gtest.h>
#include <signal.h>

#include <thread>

#include "harness.hpp"
#include "text_checks.hpp"

namespace rtx::e2e {
namespace {

using namespace std::chrono_literals;

class BadInput : public ::testing::Test {
 protected:
  void SetUp() override {
    world.link_sample_plugin();
    ASSERT_EQ(world.rtx({"install", "hello@1.1.0"}).status, 0);
    project = world.make_project("proj", ".tool-versions", "hello 1\n");
    before = world.store_names("hello");
  }
  // The previous version still works and the store is exactly as it was.
  void expect_untouched() {
    EXPECT_EQ(world.store_names("hello"), before);
    Output o = world.shim("hello", {}, project);
    EXPECT_EQ(o.status, 0) << o.err;
    EXPECT_EQ(o.out.rfind("hello 1.1.0", 0), 0u);
  }
  void expect_one_line_error(const Output& o, const std::string& fragment) {
    EXPECT_NE(o.status, 0);
    EXPECT_EQ(o.err.rfind("rtx: ", 0), 0u) << o.err;
    EXPECT_NE(o.err.find(fragment), std::string::npos) << o.err;
    EXPECT_EQ(o.err.find("terminate called"), std::string::npos) << o.err;
  }
  World world;
  std::string project;
  std::vector<std::string> before;
};

TEST_F(BadInput, HostileVersionStringsAreRefusedBeforeTouchingTheDisk) {
  for (const std::string& v :
       std::vector<std::string>{"../../etc", "a/b", "1..2", std::string(200, '1'), "-rf", "1 2"}) {
    Output o = world.rtx({"install", "hello@" + v});
    expect_one_line_error(o, "version");
    EXPECT_EQ(lines(o.err), 1) << o.err;
  }
  expect_untouched();
}

TEST_F(BadInput, UnknownToolNamesTheFix) {
  Output o = world.rtx({"install", "nope@1"});
  expect_one_line_error(o, "rtx plugins link nope");
  EXPECT_EQ(lines(o.err), 1);
}

TEST_F(BadInput, NoMatchingRemoteVersion) {
  Output o = world.rtx({"install", "hello@9"});
  expect_one_line_error(o, "no version of hello matches '9'");
  expect_untouched();
}

TEST_F(BadInput, AFailingPluginLeavesThePreviousVersionWorking) {
  world.set_env("HELLO_FAIL_INSTALL", "1");
  Output o = world.rtx({"install", "hello@2.0.0"});
  expect_one_line_error(o, "installing hello 2.0.0 failed, nothing changed");
  EXPECT_NE(o.err.find("bin/install"), std::string::npos) << o.err;
  world.unset_env("HELLO_FAIL_INSTALL");
  expect_untouched();
}

TEST_F(BadInput, AHangingPluginIsStoppedByTheTimeout) {
  std::string dir = world.write_plugin("hang", {{"list-all", "echo 1.0.0"}, {"install", "sleep 100"}});
  ASSERT_EQ(world.rtx({"plugins", "link", "hang", dir}).status, 0);
  world.set_env("RTX_INSTALL_TIMEOUT", "1");
  auto start = std::chrono::steady_clock::now();
  Output o = world.rtx({"install", "hang@1.0.0"});
  EXPECT_LT(std::chrono::steady_clock::now() - start, 20s);
  expect_one_line_error(o, "timed out");
  EXPECT_TRUE(world.store_names("hang").empty());
  expect_untouched();
}

TEST_F(BadInput, AnInstallWithoutExecutablesFailsVerification) {
  std::string dir =
      world.write_plugin("empty", {{"list-all", "echo 1.0.0"}, {"install", "mkdir -p \"$ASDF_INSTALL_PATH/bin\""}});
  ASSERT_EQ(world.rtx({"plugins", "link", "empty", dir}).status, 0);
  Output o = world.rtx({"install", "empty@1.0.0"});
  expect_one_line_error(o, "without executables");
  EXPECT_TRUE(world.store_names("empty").empty());
}

TEST_F(BadInput, AFailingSmokeTestFailsTheInstall) {
  std::string dir =
      world.write_plugin("smoky", {{"list-all", "echo 1.0.0"},
                                   {"install",
                                    "mkdir -p \"$ASDF_INSTALL_PATH/bin\"; printf '#!/bin/sh\\nexit 4\\n' > "
                                    "\"$ASDF_INSTALL_PATH/bin/smoky\"; chmod +x \"$ASDF_INSTALL_PATH/bin/smoky\""},
                                   {"smoke", "smoky"}});
  ASSERT_EQ(world.rtx({"plugins", "link", "smoky", dir}).status, 0);
  Output o = world.rtx({"install", "smoky@1.0.0"});
  expect_one_line_error(o, "smoke test");
  EXPECT_TRUE(world.store_names("smoky").empty());
}

TEST_F(BadInput, MalformedConfigNamesFileAndLine) {
  std::string dir = world.make_project("proj/broken", ".rtx.toml", "[tools]\nhello = 1.5\n");
  Output o = world.shim("hello", {}, dir);
  EXPECT_EQ(o.status, 126);
  EXPECT_EQ(o.err, "rtx: " + dir +
                       "/.rtx.toml:2: the version of 'hello' must be a string, an array of strings or a "
                       "table with 'version': write hello = \"1.2.3\"\n");
  Output m = world.rtx({"install"}, dir);
  expect_one_line_error(m, dir + "/.rtx.toml:2:");
  expect_untouched();
}

TEST_F(BadInput, NotConfiguredAndNotInstalledExit127) {
  Output a = world.shim("hello", {}, world.root());
  EXPECT_EQ(a.status, 127);
  EXPECT_NE(a.err.find("no version of hello is configured for " + world.root()), std::string::npos) << a.err;
  std::string p = world.make_project("p2", ".tool-versions", "hello 2\n");
  Output b = world.shim("hello", {}, p);
  EXPECT_EQ(b.status, 127);
  EXPECT_NE(b.err.find("rtx install hello@2"), std::string::npos) << b.err;
  EXPECT_EQ(lines(b.err), 1);
}

TEST_F(BadInput, UninstallOfAMissingVersion) {
  expect_one_line_error(world.rtx({"uninstall", "hello@7.0.0"}), "not installed");
  expect_untouched();
}

TEST_F(BadInput, CtrlCDuringAnInstallLeavesNothingBehind) {
  world.set_env("HELLO_INSTALL_SECONDS", "30");
  Background install = world.sh_background("exec rtx install hello@2.0.0 2>/dev/null");
  auto building = [&] {
    for (const auto& n : world.store_names("hello"))
      if (n.rfind("2.0.0-", 0) == 0) return true;
    return false;
  };
  auto deadline = std::chrono::steady_clock::now() + 20s;
  while (!building() && std::chrono::steady_clock::now() < deadline) std::this_thread::sleep_for(20ms);
  ASSERT_TRUE(building());
  std::this_thread::sleep_for(300ms);  // well inside bin/install
  ::kill(install.pid(), SIGINT);
  EXPECT_NE(install.wait(), 0);
  world.unset_env("HELLO_INSTALL_SECONDS");
  expect_untouched();
}

TEST_F(BadInput, AKilledInstallIsCleanedUpByTheNextRun) {
  world.set_env("RTX_FAULT", "install-after-build");
  EXPECT_EQ(world.rtx({"install", "hello@2.0.0"}).status, 128 + SIGKILL);
  world.unset_env("RTX_FAULT");
  EXPECT_NE(world.store_names("hello"), before);  // the BUILDING debris is there…
  Output o = world.shim("hello", {}, project);    // …and never resolved
  EXPECT_EQ(o.out.rfind("hello 1.1.0", 0), 0u);
  EXPECT_EQ(world.rtx({"ls"}).status, 0);  // any manager start recovers
  expect_untouched();
}

}  // namespace
}  // namespace rtx::e2e
