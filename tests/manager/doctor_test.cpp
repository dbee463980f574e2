// `rtx doctor`'s checks (manager/doctor/), each against real temporary
// folders: the finding it makes when the setup is wrong, with its fix, and
// silence when the setup is right.
#include "manager/doctor/doctor.hpp"

#include <fcntl.h>
#include <sys/file.h>
#include <unistd.h>

#include <ctime>
#include <filesystem>

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "child_process.hpp"
#include "manager/store/succession_log.hpp"
#include "store_fixture.hpp"

namespace rtx::doctor {
namespace {

using resolver::EntryState;
using ::testing::HasSubstr;
using ::testing::IsEmpty;
using ::testing::SizeIs;

const std::string kRtx = "/opt/rtx/bin/rtx";

// A data dir with shims for hello and world, a HOME, and folders to put on PATH.
struct Doctor : test::StoreFixture {
  std::string home = tmp / "home";
  std::string shims = layout.shims_dir();
  void SetUp() override {
    test::make_dirs(home);
    test::write_text(shims + "/hello", "", 0755);
    test::write_text(shims + "/world", "", 0755);
    test::write_text(shims + "/.index", "hello\thello\n");
  }
  ShellEnv env(const std::string& path, const std::string& shell = "/bin/bash") const {
    return ShellEnv{path, shell, home, "", ""};
  }
  // A folder holding executables (or plain files) of these names.
  std::string bin_dir(const std::string& name, const std::vector<std::string>& commands, mode_t mode = 0755) {
    std::string dir = tmp / name;
    test::make_dirs(dir);
    for (const auto& c : commands) test::write_text(dir + "/" + c, "#!/bin/sh\n", mode);
    return dir;
  }
};

// --- (1) shims on PATH ----------------------------------------------------------

TEST_F(Doctor, ShimsMissingFromPathIsAWarningWhoseFixIsTheActivationLine) {
  Findings f = check_shims_on_path(shims, env("/usr/bin:/bin"), kRtx);
  ASSERT_THAT(f, SizeIs(1));
  EXPECT_EQ(f[0].severity, Severity::Warning);
  EXPECT_EQ(f[0].check, "path");
  EXPECT_THAT(f[0].what, HasSubstr(shims + " is not on PATH"));
  EXPECT_THAT(f[0].fix, HasSubstr("eval \"$(/opt/rtx/bin/rtx activate bash)\""));
  EXPECT_THAT(f[0].fix, HasSubstr(home + "/.bashrc"));
}

TEST_F(Doctor, AnUnknownShellIsToldTheExportLine) {
  Findings f = check_shims_on_path(shims, env("/usr/bin", "/bin/tcsh"), kRtx);
  ASSERT_THAT(f, SizeIs(1));
  EXPECT_THAT(f[0].fix, HasSubstr("export PATH=\"" + shims + ":$PATH\""));
}

TEST_F(Doctor, ShimsOnPathByNameOrThroughASymlinkIsFine) {
  EXPECT_THAT(check_shims_on_path(shims, env("/usr/bin:" + shims + "/"), kRtx), IsEmpty());
  std::filesystem::create_directory_symlink(shims, tmp / "via");
  EXPECT_THAT(check_shims_on_path(shims, env((tmp / "via") + ":/bin"), kRtx), IsEmpty());
}

// --- (2) a system command before the shims -----------------------------------------

TEST_F(Doctor, AFolderBeforeTheShimsWithTheSameCommandNamesBoth) {
  std::string sys = bin_dir("sys", {"hello", "other"});
  Findings f = check_shims_shadowed(shims, env(sys + ":" + shims), kRtx);
  ASSERT_THAT(f, SizeIs(1));
  EXPECT_EQ(f[0].severity, Severity::Problem);
  EXPECT_EQ(f[0].check, "path-order");
  EXPECT_THAT(f[0].what, HasSubstr(sys + " comes before " + shims));
  EXPECT_THAT(f[0].what, HasSubstr("holds hello:"));
  EXPECT_THAT(f[0].what, ::testing::Not(HasSubstr("other")));
  EXPECT_THAT(f[0].fix, HasSubstr("activate bash"));
}

TEST_F(Doctor, EveryShadowingFolderIsNamedWithAllItsCommands) {
  std::string a = bin_dir("a", {"hello", "world"});
  std::string b = bin_dir("b", {"world"});
  Findings f = check_shims_shadowed(shims, env(a + ":" + b + ":" + a + ":" + shims), kRtx);
  ASSERT_THAT(f, SizeIs(2));
  EXPECT_THAT(f[0].what, HasSubstr(a + " comes before"));
  EXPECT_THAT(f[0].what, HasSubstr("holds hello, world"));
  EXPECT_THAT(f[1].what, HasSubstr(b + " comes before"));
}

TEST_F(Doctor, AFolderAfterTheShimsOrAFileThatIsNotExecutableShadowsNothing) {
  std::string after = bin_dir("after", {"hello"});
  std::string plain = bin_dir("plain", {"hello"}, 0644);
  EXPECT_THAT(check_shims_shadowed(shims, env(plain + ":" + shims + ":" + after), kRtx), IsEmpty());
  EXPECT_THAT(check_shims_shadowed(shims, env(after), kRtx), IsEmpty()) << "not on PATH: check 'path' says so";
}

// --- (3) activation in the rc file ---------------------------------------------

TEST_F(Doctor, RcFilesFollowZdotdirAndXdgConfigHome) {
  ShellEnv e{"", "/usr/bin/zsh", home, "", ""};
  EXPECT_EQ(rc_file(shell::Shell::Bash, e), home + "/.bashrc");
  EXPECT_EQ(rc_file(shell::Shell::Zsh, e), home + "/.zshrc");
  EXPECT_EQ(rc_file(shell::Shell::Fish, e), home + "/.config/fish/config.fish");
  e.zdotdir = tmp / "zdot";
  e.xdg_config_home = tmp / "xdg";
  EXPECT_EQ(rc_file(shell::Shell::Zsh, e), (tmp / "zdot") + "/.zshrc");
  EXPECT_EQ(rc_file(shell::Shell::Fish, e), (tmp / "xdg") + "/fish/config.fish");
}

TEST_F(Doctor, TheActivationLineIsWhatInstallShPrints) {
  EXPECT_EQ(activation_line(shell::Shell::Bash, kRtx), "eval \"$(/opt/rtx/bin/rtx activate bash)\"");
  EXPECT_EQ(activation_line(shell::Shell::Zsh, kRtx), "eval \"$(/opt/rtx/bin/rtx activate zsh)\"");
  EXPECT_EQ(activation_line(shell::Shell::Fish, kRtx), "/opt/rtx/bin/rtx activate fish | source");
  EXPECT_EQ(activation_line(shell::Shell::Bash, "/my tools/rtx"), "eval \"$('/my tools/rtx' activate bash)\"");
}

TEST_F(Doctor, ABashrcWithoutActivationGetsTheLineToAdd) {
  test::write_text(home + "/.bashrc", "alias ll='ls -l'\n");
  Findings f = check_activation(shims, env("/usr/bin"), kRtx);
  ASSERT_THAT(f, SizeIs(1));
  EXPECT_EQ(f[0].severity, Severity::Warning);
  EXPECT_EQ(f[0].check, "activation");
  EXPECT_THAT(f[0].what, HasSubstr(home + "/.bashrc does not activate rtx"));
  EXPECT_EQ(f[0].fix, "add this line to " + home + "/.bashrc: eval \"$(/opt/rtx/bin/rtx activate bash)\"");
}

TEST_F(Doctor, AMissingRcFileIsSaidSoAndIsOnlyANoteWhenPathHasTheShims) {
  Findings f = check_activation(shims, env(shims + ":/usr/bin"), kRtx);
  ASSERT_THAT(f, SizeIs(1));
  EXPECT_EQ(f[0].severity, Severity::Note);
  EXPECT_THAT(f[0].what, HasSubstr(home + "/.bashrc does not exist"));
}

TEST_F(Doctor, AnRcFileThatActivatesOrNamesTheShimsIsFine) {
  test::write_text(home + "/.bashrc", "# tools\neval \"$(rtx activate bash)\"\n");
  EXPECT_THAT(check_activation(shims, env("/usr/bin"), kRtx), IsEmpty());
  test::write_text(home + "/.bashrc", "");
  test::write_text(home + "/.profile", "export PATH=\"" + shims + ":$PATH\"\n");
  EXPECT_THAT(check_activation(shims, env("/usr/bin"), kRtx), IsEmpty());
}

TEST_F(Doctor, AShimsPathWrittenWithHomeCounts) {
  // HOME holds the data dir here, as ~/.local/share/rtx does.
  ShellEnv e{"/usr/bin", "/bin/bash", tmp.path(), "", ""};
  test::write_text(tmp / ".bashrc", "export PATH=\"$HOME/data/shims:$PATH\"\n");
  EXPECT_THAT(check_activation(shims, e, kRtx), IsEmpty());
}

TEST_F(Doctor, ZshReadsZdotdirAndFishItsConfDirectory) {
  ShellEnv zsh{"/usr/bin", "/usr/bin/zsh", home, tmp / "zdot", ""};
  test::write_text(home + "/.zshrc", "eval \"$(rtx activate zsh)\"\n");  // not where zsh looks
  Findings f = check_activation(shims, zsh, kRtx);
  ASSERT_THAT(f, SizeIs(1));
  EXPECT_THAT(f[0].fix, HasSubstr((tmp / "zdot") + "/.zshrc: eval \"$(/opt/rtx/bin/rtx activate zsh)\""));
  test::write_text((tmp / "zdot") + "/.zshrc", "eval \"$(rtx activate zsh)\"\n");
  EXPECT_THAT(check_activation(shims, zsh, kRtx), IsEmpty());

  ShellEnv fish{"/usr/bin", "/usr/bin/fish", home, "", tmp / "xdg"};
  f = check_activation(shims, fish, kRtx);
  ASSERT_THAT(f, SizeIs(1));
  EXPECT_THAT(f[0].fix, HasSubstr((tmp / "xdg") + "/fish/config.fish: /opt/rtx/bin/rtx activate fish | source"));
  test::write_text((tmp / "xdg") + "/fish/conf.d/rtx.fish", "rtx activate fish | source\n");
  EXPECT_THAT(check_activation(shims, fish, kRtx), IsEmpty());
}

TEST_F(Doctor, NoShellOrAShellRtxCannotActivateIsNotJudged) {
  EXPECT_THAT(check_activation(shims, env("/usr/bin", ""), kRtx), IsEmpty());
  EXPECT_THAT(check_activation(shims, env("/usr/bin", "/bin/tcsh"), kRtx), IsEmpty());
}

// --- (4) roots, (7) the shim binary ---------------------------------------------------

TEST_F(Doctor, AWorldWritableDataDirIsAProblemWithItsChmod) {
  resolver::Roots roots{home, layout.data, tmp / "config", tmp / "cache", tmp / "state"};
  EXPECT_THAT(check_unsafe_roots(roots), IsEmpty());
  ASSERT_EQ(::chmod(layout.data.c_str(), 0777), 0);
  Findings f = check_unsafe_roots(roots);
  ASSERT_THAT(f, SizeIs(1));
  EXPECT_EQ(f[0].severity, Severity::Problem);
  EXPECT_THAT(f[0].what, HasSubstr(layout.data + " is group- and world-writable"));
  EXPECT_EQ(f[0].fix, "chmod go-w " + layout.data);
  ::chmod(layout.data.c_str(), 0755);
}

TEST_F(Doctor, AMissingShimBinaryIsAProblem) {
  Findings f = check_shim_binary(shim_binary);
  ASSERT_THAT(f, SizeIs(1));
  EXPECT_EQ(f[0].check, "shim-binary");
  EXPECT_THAT(f[0].fix, HasSubstr("RTX_SHIM_BINARY"));
  test::write_text(shim_binary, "", 0755);
  EXPECT_THAT(check_shim_binary(shim_binary), IsEmpty());
}

// --- (5) plugins -------------------------------------------------------------------------

TEST_F(Doctor, AWholePluginIsFine) {
  test::make_dirs(layout.plugins_dir());
  test::copy_tree(test::hello_plugin_dir(), layout.plugins_dir() + "/hello");
  std::filesystem::create_directory_symlink(test::hello_plugin_dir(), layout.plugins_dir() + "/linked");
  test::make_dirs(layout.plugins_dir() + "/.tmp-x-1");  // a clone in progress
  EXPECT_THAT(check_plugins(layout), IsEmpty());
}

TEST_F(Doctor, ADanglingPluginLinkIsAProblem) {
  test::make_dirs(layout.plugins_dir());
  std::filesystem::create_directory_symlink(tmp / "gone", layout.plugins_dir() + "/node");
  Findings f = check_plugins(layout);
  ASSERT_THAT(f, SizeIs(1));
  EXPECT_EQ(f[0].severity, Severity::Problem);
  EXPECT_EQ(f[0].check, "plugins");
  EXPECT_THAT(f[0].what, HasSubstr("plugin node links to " + (tmp / "gone") + ", which does not exist"));
  EXPECT_THAT(f[0].fix, HasSubstr("rtx plugins link node DIR"));
}

TEST_F(Doctor, APluginWithoutInstallOrWithAScriptThatIsNotExecutableIsAProblem) {
  std::string dir = layout.plugins_dir() + "/half";
  test::write_script(dir + "/bin/list-all", "echo 1.0");
  Findings f = check_plugins(layout);
  ASSERT_THAT(f, SizeIs(1));
  EXPECT_THAT(f[0].what, HasSubstr("plugin half has no bin/install (" + dir + "/bin/install)"));
  EXPECT_THAT(f[0].fix, HasSubstr("rtx plugins update half"));

  test::write_text(dir + "/bin/install", "#!/bin/sh\n", 0644);
  f = check_plugins(layout);
  ASSERT_THAT(f, SizeIs(1));
  EXPECT_THAT(f[0].what, HasSubstr("a bin/install that is not executable"));
  EXPECT_EQ(f[0].fix, "chmod +x " + dir + "/bin/install");
}

// --- (6) builds ----------------------------------------------------------------------------

BuildCheckOptions later_by(std::chrono::seconds s, const std::string& state_dir) {
  return BuildCheckOptions{state_dir, 1, std::chrono::seconds(3600), std::time(nullptr) + s.count()};
}

TEST_F(Doctor, AReadyBuildWhoseFolderIsGoneIsAProblemFixedByReinstalling) {
  std::string ready = make_entry("hello", "1.0.0-aaa", EntryState::Ready);
  point("hello", "1.0.0", "1.0.0-aaa");
  EXPECT_THAT(check_builds(layout, later_by(std::chrono::seconds(0), tmp / "state")), IsEmpty());
  std::filesystem::remove_all(ready);
  Findings f = check_builds(layout, later_by(std::chrono::seconds(0), tmp / "state"));
  ASSERT_THAT(f, SizeIs(1));
  EXPECT_EQ(f[0].severity, Severity::Problem);
  EXPECT_EQ(f[0].check, "builds");
  EXPECT_THAT(f[0].what, HasSubstr(ready + " is READY but its folder is gone"));
  EXPECT_THAT(f[0].fix, HasSubstr("rtx install --force hello@1.0.0"));
}

TEST_F(Doctor, ABuildStuckInBuildingOrWithoutAStateFileIsAWarningOnlyOnceItIsOld) {
  std::string building = make_entry("hello", "2.0.0-bbb", EntryState::Building);
  std::string stateless = make_entry("hello", "3.0.0-ccc", EntryState::Building);
  ASSERT_EQ(::unlink(resolver::state_path(stateless).c_str()), 0);
  EXPECT_THAT(check_builds(layout, later_by(std::chrono::seconds(60), tmp / "state")), IsEmpty())
      << "an install may be running";
  Findings f = check_builds(layout, later_by(std::chrono::hours(3), tmp / "state"));
  ASSERT_THAT(f, SizeIs(2));
  EXPECT_EQ(f[0].severity, Severity::Warning);
  EXPECT_THAT(f[0].what, HasSubstr(building + " has been BUILDING for 3 h"));
  EXPECT_THAT(f[0].fix, HasSubstr("fuser " + layout.install_lock("hello", "2.0.0")));
  EXPECT_THAT(f[1].what, HasSubstr(stateless + " has no state file"));
}

TEST_F(Doctor, ARetiredBuildNobodyUsesNorRollbackKeepsIsANoteForGc) {
  std::string kept = make_entry("hello", "1.0.0-aaa", EntryState::Retired);
  std::string old = make_entry("hello", "0.9.0-zzz", EntryState::Retired);
  make_entry("hello", "1.1.0-bbb", EntryState::Ready);
  point("hello", "1.1.0", "1.1.0-bbb");
  ASSERT_TRUE(store::SuccessionLog(tmp / "state", "hello").append({"0.9.0-zzz", "1.0.0-aaa"}));
  ASSERT_TRUE(store::SuccessionLog(tmp / "state", "hello").append({"1.0.0-aaa", "1.1.0-bbb"}));
  Findings f = check_builds(layout, later_by(std::chrono::seconds(0), tmp / "state"));
  ASSERT_THAT(f, SizeIs(1));
  EXPECT_EQ(f[0].severity, Severity::Note);
  EXPECT_THAT(f[0].what, HasSubstr(old + " is RETIRED"));
  EXPECT_EQ(f[0].fix, "'rtx gc' removes it");
  (void)kept;
}

TEST_F(Doctor, ARetiredBuildAProcessHoldsIsNotGarbage) {
  std::string old = make_entry("hello", "0.9.0-zzz", EntryState::Retired);
  test::ForkedChild holder([&](int ready) {
    int fd = ::open(resolver::lease_path(old).c_str(), O_RDONLY);
    if (fd < 0 || ::flock(fd, LOCK_SH) != 0) return 1;
    test::signal_ready(ready);
    test::sleep_forever();
  });
  ASSERT_TRUE(holder.wait_ready());
  EXPECT_THAT(check_builds(layout, later_by(std::chrono::seconds(0), tmp / "state")), IsEmpty());
  holder.kill_and_reap();
  EXPECT_THAT(check_builds(layout, later_by(std::chrono::seconds(0), tmp / "state")), SizeIs(1));
}

// --- all of it -------------------------------------------------------------------------------

struct DoctorRun : Doctor {
  doctor::Setup setup() {
    test::write_text(shim_binary, "", 0755);
    test::write_text(home + "/.bashrc", "eval \"$(rtx activate bash)\"\n");
    return doctor::Setup{resolver::Roots{home, layout.data, tmp / "config", tmp / "cache", tmp / "state"},
                         layout,
                         shim_binary,
                         kRtx,
                         tmp / "cache/plugin-downloads",
                         env(shims + ":/usr/bin:/bin"),
                         std::chrono::seconds(3600)};
  }
};

TEST_F(DoctorRun, ACleanSetupIsOk) {
  Report r = run(setup());
  EXPECT_THAT(r.findings, IsEmpty());
  EXPECT_THAT(r.repaired, IsEmpty());
  EXPECT_TRUE(r.ok());
}

TEST_F(DoctorRun, RepairsFirstSoTheChecksSeeTheRepairedStore) {
  std::string crashed = make_entry("hello", "2.0.0-bbb", EntryState::Building);
  doctor::Setup s = setup();
  s.stale_after = std::chrono::seconds(-1);  // every non-final build counts as stuck
  Report r = run(s);
  ASSERT_THAT(r.repaired, SizeIs(1));
  EXPECT_THAT(r.repaired[0], HasSubstr("removed abandoned BUILDING build " + crashed));
  EXPECT_THAT(r.findings, IsEmpty());
  EXPECT_TRUE(r.ok());
}

TEST_F(DoctorRun, UnderAnUnsafeRootNothingIsRepairedAndTheBuildIsReported) {
  std::string crashed = make_entry("hello", "2.0.0-bbb", EntryState::Building);
  doctor::Setup s = setup();
  s.stale_after = std::chrono::seconds(-1);
  ASSERT_EQ(::chmod((layout.data + "/store").c_str(), 0777), 0);
  Report r = run(s);
  ::chmod((layout.data + "/store").c_str(), 0755);
  EXPECT_THAT(r.repaired, IsEmpty());
  EXPECT_FALSE(r.ok());
  ASSERT_THAT(r.findings, SizeIs(2));
  EXPECT_EQ(r.findings[0].check, "roots");
  EXPECT_THAT(r.findings[1].what, HasSubstr(crashed + " has been BUILDING"));
  EXPECT_TRUE(test::path_exists(crashed));
}

TEST_F(DoctorRun, OnlyAProblemMakesTheReportNotOk) {
  doctor::Setup s = setup();
  s.env.path = "/usr/bin";  // a warning (path)
  Report r = run(s);
  EXPECT_THAT(r.findings, SizeIs(1));
  EXPECT_TRUE(r.ok());
  s.shim_binary = tmp / "nowhere/rtx-shim";
  EXPECT_FALSE(run(s).ok());
}

}  // namespace
}  // namespace rtx::doctor
