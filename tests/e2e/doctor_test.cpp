// `rtx doctor` (issue 9 item 9) explains what a user got wrong, each finding
// with its fix: shims not on PATH or behind a system command, no activation
// in the rc file, roots another user can write, broken plugins, builds in odd
// states, a missing shim binary. A problem exits 1; warnings and notes exit 0.
#include <fcntl.h>
#include <gtest/gtest.h>
#include <simdjson.h>
#include <sys/file.h>
#include <sys/stat.h>
#include <unistd.h>

#include <filesystem>
#include <fstream>

#include "harness.hpp"
#include "store_probe.hpp"

namespace rtx::e2e {
namespace {

namespace fs = std::filesystem;

class Doctor : public ::testing::Test {
 protected:
  void SetUp() override {
    world.set_env("HELLO_VERSIONS", "1.0.0 1.1.0");
    world.set_env("SHELL", "/bin/bash");
    world.link_sample_plugin();
    Output o = world.rtx({"install", "hello@1.0.0"});
    ASSERT_EQ(o.status, 0) << o.err;
    activate_in(world.home() + "/.bashrc", "eval \"$(rtx activate bash)\"");
  }
  static void activate_in(const std::string& rc, const std::string& line) {
    fs::create_directories(fs::path(rc).parent_path());
    std::ofstream(rc, std::ios::app) << line << "\n";
  }
  // A folder on no PATH yet holding an executable `command`.
  std::string system_dir_with(const std::string& command) const {
    std::string dir = world.root() + "/system-bin";
    fs::create_directories(dir);
    std::ofstream(dir + "/" + command) << "#!/bin/sh\necho system\n";
    ::chmod((dir + "/" + command).c_str(), 0755);
    return dir;
  }
  std::string default_path(const std::string& before = {}) const {
    return before + world.shims() + ":" + fs::path(rtx_binary()).parent_path().string() + ":/usr/bin:/bin";
  }
  // The one line of `doctor` output that starts with `severity: ` and mentions `text`.
  static std::string finding(const Output& o, const std::string& severity, const std::string& text) {
    std::istringstream lines(o.out);
    for (std::string line; std::getline(lines, line);)
      if (line.rfind(severity + ": ", 0) == 0 && line.find(text) != std::string::npos) return line;
    return {};
  }
  static std::string fix_of(const std::string& line) {
    std::size_t at = line.find(" — fix: ");
    return at == std::string::npos ? std::string() : line.substr(at + std::string(" — fix: ").size());
  }
  static bool says_ok(const Output& o, const World& w) {
    return o.out.size() >= 1 && o.out.find("data dir " + w.data() + ": ok\n") != std::string::npos;
  }

  World world;
  simdjson::dom::parser parser;
};

TEST_F(Doctor, ACleanSetupIsOk) {
  Output o = world.rtx({"doctor"});
  EXPECT_EQ(o.status, 0) << o.out << o.err;
  EXPECT_TRUE(says_ok(o, world)) << o.out;
  EXPECT_EQ(o.out.find("problem:"), std::string::npos) << o.out;
  EXPECT_EQ(o.out.find("warning:"), std::string::npos) << o.out;
}

TEST_F(Doctor, ShimsNotOnPathIsAWarningWithTheActivationLine) {
  world.set_env("PATH", "/usr/bin:/bin");
  Output o = world.rtx({"doctor"});
  EXPECT_EQ(o.status, 0) << "a warning only: " << o.out;
  std::string line = finding(o, "warning", world.shims() + " is not on PATH");
  ASSERT_FALSE(line.empty()) << o.out;
  EXPECT_NE(fix_of(line).find(" activate bash)\"' as the last line of " + world.home() + "/.bashrc"), std::string::npos)
      << line;
}

TEST_F(Doctor, ASystemCommandBeforeTheShimsIsAProblemNamingTheFolderAndTheCommand) {
  std::string sys = system_dir_with("hello");
  world.set_env("PATH", default_path(sys + ":"));
  Output o = world.rtx({"doctor"});
  EXPECT_EQ(o.status, 1) << o.out;
  std::string line = finding(o, "problem", sys + " comes before " + world.shims() + " on PATH and holds hello");
  ASSERT_FALSE(line.empty()) << o.out;
  EXPECT_NE(fix_of(line).find("activate bash"), std::string::npos) << line;
  EXPECT_NE(o.out.find("data dir " + world.data() + ": problems found\n"), std::string::npos) << o.out;

  world.set_env("PATH", default_path() + ":" + sys);  // after the shims: the shim wins
  EXPECT_EQ(world.rtx({"doctor"}).status, 0);
}

TEST_F(Doctor, AnRcFileWithoutActivationGetsTheExactLineAndThatLineSatisfiesIt) {
  fs::remove(world.home() + "/.bashrc");
  std::ofstream(world.home() + "/.bashrc") << "alias ll='ls -l'\n";
  world.set_env("PATH", "/usr/bin:/bin");
  Output o = world.rtx({"doctor"});
  std::string line = finding(o, "warning", world.home() + "/.bashrc does not activate rtx");
  ASSERT_FALSE(line.empty()) << o.out;
  const std::string prefix = "add this line to " + world.home() + "/.bashrc: ";
  ASSERT_EQ(fix_of(line).rfind(prefix, 0), 0u) << line;
  std::string rc_line = fix_of(line).substr(prefix.size());
  EXPECT_NE(rc_line.find(" activate bash)\""), std::string::npos) << rc_line;

  // The line does what it says: bash with it puts the shims first on PATH.
  activate_in(world.home() + "/.bashrc", rc_line);
  Output shell = world.sh("HOME=" + world.home() + " bash -c '. ~/.bashrc; echo \"$PATH\"'");
  EXPECT_EQ(shell.out.rfind(world.shims() + ":", 0), 0u) << shell.out << shell.err;
  EXPECT_TRUE(finding(world.rtx({"doctor"}), "warning", "does not activate rtx").empty());
}

TEST_F(Doctor, ZshAndFishRcFilesFollowZdotdirAndXdgConfigHome) {
  world.set_env("SHELL", "/usr/bin/zsh");
  world.set_env("ZDOTDIR", world.root() + "/zdot");
  Output o = world.rtx({"doctor"});
  std::string line = finding(o, "note", world.root() + "/zdot/.zshrc does not exist");
  ASSERT_FALSE(line.empty()) << o.out;
  EXPECT_NE(fix_of(line).find(" activate zsh)\""), std::string::npos) << line;

  world.set_env("SHELL", "/usr/bin/fish");
  world.set_env("XDG_CONFIG_HOME", world.root() + "/xdg");
  o = world.rtx({"doctor"});
  line = finding(o, "note", world.root() + "/xdg/fish/config.fish does not exist");
  ASSERT_FALSE(line.empty()) << o.out;
  EXPECT_NE(fix_of(line).find(" activate fish | source"), std::string::npos) << line;
  activate_in(world.root() + "/xdg/fish/config.fish", "rtx activate fish | source");
  EXPECT_TRUE(finding(world.rtx({"doctor"}), "note", "activate").empty());
}

TEST_F(Doctor, AWorldWritableDataDirIsAProblemAndNothingIsRepairedInIt) {
  std::string crashed = store_dir(world, "hello") + "/9.9.9-dead";
  fs::create_directories(crashed);
  force_state(world, "hello", "9.9.9-dead", "BUILDING");
  ASSERT_EQ(::chmod(world.data().c_str(), 0777), 0);
  Output o = world.rtx({"doctor"});
  ::chmod(world.data().c_str(), 0755);
  EXPECT_EQ(o.status, 1) << o.out;
  std::string line = finding(o, "problem", world.data() + " is group- and world-writable");
  EXPECT_EQ(fix_of(line), "chmod go-w " + world.data()) << o.out;
  EXPECT_EQ(o.out.find("repaired:"), std::string::npos) << o.out;
  EXPECT_TRUE(fs::exists(crashed));

  Output again = world.rtx({"doctor"});  // roots safe again: the crash leftover goes
  EXPECT_EQ(again.status, 0) << again.out;
  EXPECT_NE(again.out.find("repaired: removed abandoned BUILDING build " + crashed), std::string::npos) << again.out;
  EXPECT_FALSE(fs::exists(crashed));
}

TEST_F(Doctor, APluginMissingAScriptOrLinkedToNothingIsAProblem) {
  std::string half = world.write_plugin("half", {{"list-all", "echo 1.0"}});
  ASSERT_EQ(
      world.rtx({"plugins", "link", "gone", world.write_plugin("gone", {{"list-all", ""}, {"install", ""}})}).status,
      0);
  fs::remove_all(world.root() + "/plugin-src/gone");
  fs::create_directory_symlink(half, world.data() + "/plugins/half");  // as an older rtx or a user may have
  Output o = world.rtx({"doctor"});
  EXPECT_EQ(o.status, 1) << o.out;
  std::string no_install = finding(o, "problem", "plugin half has no bin/install (" + half + "/bin/install)");
  ASSERT_FALSE(no_install.empty()) << o.out;
  EXPECT_NE(fix_of(no_install).find("give " + half + " a bin/install"), std::string::npos) << no_install;
  std::string dangling = finding(o, "problem", "plugin gone links to " + world.root() + "/plugin-src/gone");
  ASSERT_FALSE(dangling.empty()) << o.out;
  EXPECT_NE(fix_of(dangling).find("'rtx plugins remove gone'"), std::string::npos) << dangling;

  ASSERT_EQ(world.rtx({"plugins", "remove", "gone"}).status, 0);
  fs::remove(world.data() + "/plugins/half");
  EXPECT_EQ(world.rtx({"doctor"}).status, 0);
}

TEST_F(Doctor, AReadyBuildWhoseFolderIsGoneIsAProblemAndItsFixWorks) {
  std::string build = trim_line(world.rtx({"where", "hello@1.0.0"}).out);
  fs::remove_all(build);
  Output o = world.rtx({"doctor"});
  EXPECT_EQ(o.status, 1) << o.out;
  std::string line = finding(o, "problem", build + " is READY but its folder is gone");
  ASSERT_FALSE(line.empty()) << o.out;
  EXPECT_EQ(fix_of(line), "'rtx install --force hello@1.0.0' builds it again");

  ASSERT_EQ(world.rtx({"install", "--force", "hello@1.0.0"}).status, 0);
  Output after = world.rtx({"doctor"});
  EXPECT_EQ(after.status, 0) << after.out;
}

TEST_F(Doctor, ARetiredBuildNobodyUsesIsANoteForGc) {
  write_settings(world, "keep_previous = 0");
  std::string old = trim_line(world.rtx({"where", "hello@1.0.0"}).out);
  ASSERT_EQ(world.rtx({"install", "--force", "hello@1.0.0"}).status, 0);
  {
    LeaseHold pinned(old);  // a process still running the old build
    Output held = world.rtx({"doctor"});
    EXPECT_TRUE(finding(held, "note", old + " is RETIRED").empty()) << held.out;
  }
  Output o = world.rtx({"doctor"});
  EXPECT_EQ(o.status, 0) << o.out;
  std::string line = finding(o, "note", old + " is RETIRED, kept for no rollback, and no process uses it");
  ASSERT_FALSE(line.empty()) << o.out;
  EXPECT_EQ(fix_of(line), "'rtx gc' removes it");
  ASSERT_EQ(world.rtx({"gc"}).status, 0);
  EXPECT_TRUE(finding(world.rtx({"doctor"}), "note", "RETIRED").empty());
}

TEST_F(Doctor, ABuildStuckInBuildingLongerThanAnInstallMayTakeIsAWarning) {
  world.set_env("RTX_INSTALL_TIMEOUT", "1");  // stuck after 2 s
  std::string stuck = store_dir(world, "hello") + "/1.1.0-stuck";
  fs::create_directories(stuck);
  force_state(world, "hello", "1.1.0-stuck", "BUILDING");
  fs::last_write_time(stuck + ".state", fs::file_time_type::clock::now() - std::chrono::minutes(10));
  // An installer holds the install lock (hung), so recovery leaves the build alone.
  std::string lock = world.data() + "/locks/hello@1.1.0.lock";
  int fd = ::open(lock.c_str(), O_RDWR | O_CREAT | O_CLOEXEC, 0644);
  ASSERT_GE(fd, 0);
  ASSERT_EQ(::flock(fd, LOCK_EX), 0);
  Output o = world.rtx({"doctor"});
  ::close(fd);
  EXPECT_EQ(o.status, 0) << o.out;
  std::string line = finding(o, "warning", stuck + " has been BUILDING for 10 min");
  ASSERT_FALSE(line.empty()) << o.out;
  EXPECT_NE(fix_of(line).find("'fuser " + lock + "' names it"), std::string::npos) << line;
}

TEST_F(Doctor, AMissingShimBinaryIsAProblem) {
  world.set_env("RTX_SHIM_BINARY", world.root() + "/no/rtx-shim");
  Output o = world.rtx({"doctor"});
  EXPECT_EQ(o.status, 1) << o.out;
  EXPECT_FALSE(finding(o, "problem", "the shim binary " + world.root() + "/no/rtx-shim is missing").empty()) << o.out;
}

TEST_F(Doctor, JsonHasEveryFindingWithItsFixAndTheRepairs) {
  Output clean = world.rtx({"doctor", "--json"});
  ASSERT_EQ(clean.status, 0) << clean.out << clean.err;
  simdjson::dom::element ok = parser.parse(clean.out);
  EXPECT_TRUE(bool(ok["ok"]));
  EXPECT_EQ(simdjson::dom::array(ok["findings"]).size(), 0u) << clean.out;
  EXPECT_EQ(simdjson::dom::array(ok["repaired"]).size(), 0u) << clean.out;

  std::string sys = system_dir_with("hello");
  world.set_env("PATH", default_path(sys + ":"));
  fs::create_directories(store_dir(world, "hello") + "/9.9.9-dead");
  force_state(world, "hello", "9.9.9-dead", "BUILDING");
  Output o = world.rtx({"doctor", "--json"});
  EXPECT_EQ(o.status, 1) << o.out;
  simdjson::dom::element doc = parser.parse(o.out);
  EXPECT_FALSE(bool(doc["ok"]));
  simdjson::dom::array findings = doc["findings"];
  ASSERT_EQ(findings.size(), 1u) << o.out;
  simdjson::dom::element f = findings.at(0);
  EXPECT_EQ(std::string_view(f["severity"]), "problem");
  EXPECT_EQ(std::string_view(f["check"]), "path-order");
  EXPECT_NE(std::string(std::string_view(f["what"])).find(sys + " comes before"), std::string::npos);
  EXPECT_NE(std::string(std::string_view(f["fix"])).find("activate bash"), std::string::npos);
  simdjson::dom::array repaired = doc["repaired"];
  ASSERT_EQ(repaired.size(), 1u) << o.out;
  EXPECT_NE(std::string(std::string_view(repaired.at(0))).find("9.9.9-dead"), std::string::npos);
}

TEST_F(Doctor, NamesWithControlCharactersAreEscapedInTextAndExactInJson) {
  std::string odd = world.root() + "/sys\x1b[2J";
  fs::create_directories(odd);
  std::ofstream(odd + "/hello") << "#!/bin/sh\n";
  ::chmod((odd + "/hello").c_str(), 0755);
  world.set_env("PATH", default_path(odd + ":"));
  Output o = world.rtx({"doctor"});
  EXPECT_EQ(o.out.find('\x1b'), std::string::npos) << "a raw escape reached the terminal";
  EXPECT_NE(o.out.find("sys\\e[2J comes before"), std::string::npos) << o.out;
  Output j = world.rtx({"doctor", "--json"});
  simdjson::dom::element f = parser.parse(j.out)["findings"].at(0);
  EXPECT_NE(std::string(std::string_view(f["what"])).find(odd + " comes before"), std::string::npos) << j.out;
}

}  // namespace
}  // namespace rtx::e2e
