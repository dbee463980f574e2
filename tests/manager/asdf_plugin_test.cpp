// backends::AsdfPlugin (DESIGN.md §8): asdf plugin scripts run as asdf runs
// them. Misbehaving plugins are small bash scripts written into a temp dir.
#include "manager/backends/asdf_plugin.hpp"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <signal.h>
#include <sys/stat.h>

#include <chrono>
#include <cstdlib>
#include <functional>
#include <memory>
#include <thread>

#include "child_process.hpp"
#include "fs_helpers.hpp"
#include "install_fixture.hpp"
#include "manager/util/fs.hpp"
#include "manager/util/plugin_downloads.hpp"
#include "tests/support/scoped_env.hpp"
#include "tests/support/temp_dir.hpp"

namespace rtx::backends {
namespace {

using namespace std::chrono_literals;
using ::testing::ElementsAre;
using ::testing::HasSubstr;
using ::testing::IsEmpty;
using ::testing::Pair;

const PluginTimeouts kFast{10s, 10s, 10s};

struct AsdfPluginTest : ::testing::Test {
  test::ScopedTempDir tmp;
  std::string plugin_dir = tmp / "plugin";

  void script(const std::string& name, const std::string& body) {
    test::write_script(plugin_dir + "/bin/" + name, body);
  }
  AsdfPlugin plugin(PluginTimeouts t = kFast) { return AsdfPlugin("demo", plugin_dir, t); }
  InstallRequest request(const std::string& version = "1.0.0") {
    test::make_dirs(tmp / ("prefix-" + version));
    InstallRequest req;
    req.tool = "demo";
    req.version = version;
    req.install_path = tmp / ("prefix-" + version);
    req.download_path = tmp / ("download-" + version);
    req.concurrency = 2;
    return req;
  }
};

TEST_F(AsdfPluginTest, ListRemoteSplitsWords) {
  script("list-all", "printf '1.0.0  1.1.0\\n2.0.0\\t3.0.0-rc1 \\n\\n'");
  auto versions = plugin().list_remote();
  ASSERT_TRUE(versions) << versions.error();
  EXPECT_THAT(*versions, ElementsAre("1.0.0", "1.1.0", "2.0.0", "3.0.0-rc1"));
}

TEST_F(AsdfPluginTest, ListRemoteOfTheSamplePluginHonoursHelloVersions) {
  test::ScopedEnv versions("HELLO_VERSIONS", "0.1.0 0.2.0");
  AsdfPlugin hello("hello", test::hello_plugin_dir(), kFast);
  auto v = hello.list_remote();
  ASSERT_TRUE(v) << v.error();
  EXPECT_THAT(*v, ElementsAre("0.1.0", "0.2.0"));
}

TEST_F(AsdfPluginTest, ListRemoteFailureNamesThePlugin) {
  script("list-all", "echo 'network down' >&2; exit 7");
  auto versions = plugin().list_remote();
  ASSERT_FALSE(versions);
  EXPECT_THAT(versions.error(), HasSubstr("demo"));
  EXPECT_THAT(versions.error(), HasSubstr("bin/list-all"));
  EXPECT_THAT(versions.error(), HasSubstr("status 7"));
}

TEST_F(AsdfPluginTest, ListRemoteWithoutTheScriptIsAnError) {
  test::make_dirs(plugin_dir + "/bin");
  auto versions = plugin().list_remote();
  ASSERT_FALSE(versions);
  EXPECT_THAT(versions.error(), HasSubstr(plugin_dir));
}

TEST_F(AsdfPluginTest, ListRemoteIsStoppedByItsTimeout) {
  script("list-all", "sleep 30");
  auto start = std::chrono::steady_clock::now();
  auto versions = plugin(PluginTimeouts{300ms, 10s, 10s}).list_remote();
  EXPECT_LT(std::chrono::steady_clock::now() - start, 5s);
  ASSERT_FALSE(versions);
  EXPECT_THAT(versions.error(), HasSubstr("timed out"));
}

TEST_F(AsdfPluginTest, LatestStableAbsentIsEmpty) {
  script("list-all", "echo 1.0.0");
  auto latest = plugin().latest_stable("");
  ASSERT_TRUE(latest) << latest.error();
  EXPECT_EQ(*latest, "");
}

TEST_F(AsdfPluginTest, LatestStableGetsThePrefixAndTakesTheLastWord) {
  script("latest-stable", "echo \"1.0.0 $1.4.2\"");
  auto latest = plugin().latest_stable("20");
  ASSERT_TRUE(latest) << latest.error();
  EXPECT_EQ(*latest, "20.4.2");
}

TEST_F(AsdfPluginTest, LatestStableFailureIsAnError) {
  script("latest-stable", "exit 1");
  EXPECT_FALSE(plugin().latest_stable("1"));
}

TEST_F(AsdfPluginTest, InstallRunsDownloadThenInstallWithTheAsdfVariables) {
  script("download", "mkdir -p \"$ASDF_DOWNLOAD_PATH\"; echo fetched > \"$ASDF_DOWNLOAD_PATH/src\"");
  script("install",
         "cat \"$ASDF_DOWNLOAD_PATH/src\" > \"$ASDF_INSTALL_PATH/seen\"\n"
         "echo \"$ASDF_INSTALL_TYPE|$ASDF_INSTALL_VERSION|$ASDF_INSTALL_PATH|$ASDF_CONCURRENCY|$ASDF_PLUGIN_PATH\" "
         ">> \"$ASDF_INSTALL_PATH/seen\"");
  auto req = request("1.2.3");
  auto st = plugin().install(req);
  ASSERT_TRUE(st) << st.error();
  EXPECT_EQ(test::read_text(req.install_path + "/seen"),
            "fetched\nversion|1.2.3|" + req.install_path + "|2|" + plugin_dir + "\n");
}

TEST_F(AsdfPluginTest, InstallFailureNamesThePluginAndTheStep) {
  script("download", "exit 4");
  script("install", "touch \"$ASDF_INSTALL_PATH/ran\"");
  auto req = request();
  auto st = plugin().install(req);
  ASSERT_FALSE(st);
  EXPECT_THAT(st.error(), HasSubstr("demo"));
  EXPECT_THAT(st.error(), HasSubstr("bin/download"));
  EXPECT_FALSE(test::path_exists(req.install_path + "/ran")) << "install ran after a failed download";
}

TEST_F(AsdfPluginTest, InstallWithoutTheScriptIsAnError) {
  script("list-all", "echo 1.0.0");
  auto st = plugin().install(request());
  ASSERT_FALSE(st);
  EXPECT_THAT(st.error(), HasSubstr("bin/install"));
}

TEST_F(AsdfPluginTest, HangingInstallIsStoppedByTheInstallTimeout) {
  script("install", "touch \"$ASDF_INSTALL_PATH/started\"; sleep 100");
  test::ScopedEnv timeout("RTX_INSTALL_TIMEOUT", "1");
  PluginTimeouts t = timeouts_from_env();
  ASSERT_EQ(t.install, 1000ms);
  auto req = request();
  auto start = std::chrono::steady_clock::now();
  auto st = plugin(t).install(req);
  auto took = std::chrono::steady_clock::now() - start;
  ASSERT_FALSE(st);
  EXPECT_THAT(st.error(), HasSubstr("timed out"));
  EXPECT_TRUE(test::path_exists(req.install_path + "/started"));
  EXPECT_GE(took, 1s);
  EXPECT_LT(took, 6s);
}

TEST(PluginTimeoutsFromEnv, ReadsSecondsAndIgnoresNonsense) {
  {
    test::ScopedEnv a("RTX_PLUGIN_TIMEOUT", "2.5");
    test::ScopedEnv b("RTX_INSTALL_TIMEOUT", "90");
    PluginTimeouts t = timeouts_from_env();
    EXPECT_EQ(t.list, 2500ms);
    EXPECT_EQ(t.smoke, 2500ms);
    EXPECT_EQ(t.install, 90s);
  }
  {
    test::ScopedEnv a("RTX_PLUGIN_TIMEOUT", "soon");
    test::ScopedEnv b("RTX_INSTALL_TIMEOUT", "-5");
    PluginTimeouts t = timeouts_from_env();
    EXPECT_EQ(t.list, PluginTimeouts{}.list);
    EXPECT_EQ(t.install, PluginTimeouts{}.install);
  }
}

TEST_F(AsdfPluginTest, DescribeBuildReadsListBinPaths) {
  script("list-bin-paths", "echo 'bin  tools/bin'");
  auto meta = plugin().describe_build(request());
  ASSERT_TRUE(meta) << meta.error();
  EXPECT_THAT(meta->bin_dirs, ElementsAre("bin", "tools/bin"));
  EXPECT_THAT(meta->env, IsEmpty());
  EXPECT_THAT(meta->path_prepend, IsEmpty());
}

TEST_F(AsdfPluginTest, DescribeBuildDefaultsToBin) {
  script("install", "true");
  auto meta = plugin().describe_build(request());
  ASSERT_TRUE(meta) << meta.error();
  EXPECT_THAT(meta->bin_dirs, ElementsAre("bin"));
}

TEST_F(AsdfPluginTest, DescribeBuildRefusesPathsOutsideThePrefix) {
  for (const char* bad : {"../x", "bin/../../etc", "/usr/bin"}) {
    script("list-bin-paths", std::string("echo 'bin ") + bad + "'");
    auto meta = plugin().describe_build(request());
    ASSERT_FALSE(meta) << bad << " was accepted";
    EXPECT_THAT(meta.error(), HasSubstr(bad));
    EXPECT_THAT(meta.error(), HasSubstr("demo"));
  }
}

TEST_F(AsdfPluginTest, DescribeBuildFailsWhenListBinPathsFails) {
  script("list-bin-paths", "exit 2");
  EXPECT_FALSE(plugin().describe_build(request()));
}

// exec-env is sourced once at install time: exported variables are recorded,
// and what it put in front of PATH becomes path_prepend (never the whole PATH).
TEST_F(AsdfPluginTest, DescribeBuildRecordsExecEnvEffects) {
  test::ScopedEnv keep("RTX_TEST_UNCHANGED", "same");
  script("exec-env",
         "echo 'chatter on stdout'\n"
         "export DEMO_HOME=\"$ASDF_INSTALL_PATH\"\n"
         "export DEMO_FLAGS='-x -y'\n"
         "export RTX_TEST_UNCHANGED=same\n"
         "export PATH=\"$ASDF_INSTALL_PATH/extra:$ASDF_INSTALL_PATH/more/bin:$PATH\"");
  auto req = request();
  auto meta = plugin().describe_build(req);
  ASSERT_TRUE(meta) << meta.error();
  EXPECT_THAT(meta->env,
              ::testing::UnorderedElementsAre(Pair("DEMO_HOME", req.install_path), Pair("DEMO_FLAGS", "-x -y")));
  EXPECT_THAT(meta->path_prepend, ElementsAre(req.install_path + "/extra", req.install_path + "/more/bin"));
}

TEST_F(AsdfPluginTest, DescribeBuildOfTheSamplePluginRecordsHelloHome) {
  AsdfPlugin hello("hello", test::hello_plugin_dir(), kFast);
  auto req = request();
  auto meta = hello.describe_build(req);
  ASSERT_TRUE(meta) << meta.error();
  EXPECT_THAT(meta->bin_dirs, ElementsAre("bin"));
  EXPECT_THAT(meta->env, ElementsAre(Pair("HELLO_HOME", req.install_path)));
  EXPECT_THAT(meta->path_prepend, IsEmpty());
}

TEST_F(AsdfPluginTest, FailingExecEnvIsAnError) {
  script("exec-env", "exit 3");
  auto meta = plugin().describe_build(request());
  ASSERT_FALSE(meta);
  EXPECT_THAT(meta.error(), HasSubstr("exec-env"));
}

TEST_F(AsdfPluginTest, SmokeTestSeesTheBuildOnPath) {
  script("smoke", "demo-tool --version | grep -q '^demo 1.0.0$'");
  auto req = request();
  test::write_script(req.install_path + "/tools/bin/demo-tool", "echo 'demo 1.0.0'");
  resolver::BuildMeta meta{{"tools/bin"}, {}, {}, {}};
  auto st = plugin().smoke_test(req, meta);
  EXPECT_TRUE(st) << st.error();
}

TEST_F(AsdfPluginTest, SmokeTestFailureIsAnError) {
  script("smoke", "exit 1");
  auto st = plugin().smoke_test(request(), resolver::BuildMeta{{"bin"}, {}, {}, {}});
  ASSERT_FALSE(st);
  EXPECT_THAT(st.error(), HasSubstr("smoke"));
  EXPECT_THAT(st.error(), HasSubstr("1.0.0"));
}

TEST_F(AsdfPluginTest, NoSmokeScriptPasses) {
  script("install", "true");
  EXPECT_TRUE(plugin().smoke_test(request(), resolver::BuildMeta{{"bin"}, {}, {}, {}}));
}

TEST_F(AsdfPluginTest, DescribeNamesThePluginAndItsFolder) {
  EXPECT_THAT(plugin().describe(), HasSubstr("demo"));
  EXPECT_THAT(plugin().describe(), HasSubstr(plugin_dir));
}

// Every directory and file under `root` (root included), symlinks skipped.
void for_each_node(const std::string& root, const std::function<void(const std::string&, mode_t)>& visit) {
  struct stat st {};
  if (::lstat(root.c_str(), &st) != 0 || S_ISLNK(st.st_mode)) return;
  visit(root, st.st_mode);
  if (S_ISDIR(st.st_mode))
    for (const auto& name : test::list_dir(root)) for_each_node(root + "/" + name, visit);
}

mode_t perm_of(const std::string& path) {
  struct stat st {};
  ::lstat(path.c_str(), &st);
  return st.st_mode & 07777;
}

// DESIGN.md §2, issue 8 item 4: a plugin builds with the user's umask and its
// own chmods; what it leaves writable by others or setuid is masked before the
// build is verified. Symlinks are never followed: a file they point to keeps its mode.
TEST_F(AsdfPluginTest, InstallMasksWhatThePluginLeftWritableByOthers) {
  std::string outside = tmp / "outside";
  test::write_text(outside, "not ours to change", 0666);
  script("install",
         "cd \"$ASDF_INSTALL_PATH\"\n"
         "mkdir -p bin lib/deep/er tmp\n"
         "echo x > lib/x.js; printf '#!/bin/sh\\n' > bin/tool; echo y > lib/deep/er/z\n"
         "ln -s '" +
             outside +
             "' lib/outside; ln -s ../.. lib/deep/up\n"
             "chmod 0666 lib/x.js; chmod 4777 bin/tool; chmod 2775 lib/deep/er/z; chmod 1777 tmp\n"
             "chmod 0777 bin lib lib/deep lib/deep/er .");
  auto req = request();
  auto st = plugin().install(req);
  ASSERT_TRUE(st) << st.error();
  EXPECT_EQ(perm_of(req.install_path), 0755u);
  EXPECT_EQ(perm_of(req.install_path + "/bin"), 0755u);
  EXPECT_EQ(perm_of(req.install_path + "/bin/tool"), 0755u) << "setuid must go";
  EXPECT_EQ(perm_of(req.install_path + "/lib/x.js"), 0644u);
  EXPECT_EQ(perm_of(req.install_path + "/lib/deep/er/z"), 0755u);
  EXPECT_EQ(perm_of(req.install_path + "/tmp"), 0755u) << "sticky must go";
  int seen = 0;
  for_each_node(req.install_path, [&](const std::string& path, mode_t mode) {
    ++seen;
    EXPECT_EQ(mode & 07022, 0u) << path;
  });
  EXPECT_EQ(seen, 9);
  EXPECT_EQ(perm_of(outside), 0666u) << "the walk followed a symlink out of the prefix";
}

TEST_F(AsdfPluginTest, AFailedInstallStepIsNotMaskedOver) {
  script("install", "chmod 0777 \"$ASDF_INSTALL_PATH\"; exit 3");
  auto st = plugin().install(request());
  ASSERT_FALSE(st);
  EXPECT_THAT(st.error(), HasSubstr("status 3"));
}

// Issue 8 item 10: an install's scratch folder ($RTX_CACHE_DIR/plugin-downloads/
// <entry>) outlives a SIGKILL; the sweep of recovery and `rtx gc` removes it,
// and never one a running install uses. The plugin's bin/download fills the
// folder, says its pid, then waits for a gate file.
struct DownloadSweepTest : test::InstallFixture {
  std::string started = tmp / "started";
  std::string gate = tmp / "gate";
  std::string plugin_dir = plugin_copy("held");
  pid_t script_pid = 0;

  DownloadSweepTest() {
    test::write_script(plugin_dir + "/bin/download",
                       "mkdir -p \"$ASDF_DOWNLOAD_PATH\"\n"
                       "cp \"$(dirname \"$0\")/../src/hello.sh\" \"$ASDF_DOWNLOAD_PATH/hello.sh\"\n"
                       "echo $$ > '" +
                           started + ".tmp' && mv '" + started + ".tmp' '" + started +
                           "'\n"
                           "for _ in $(seq 400); do [ -e '" +
                           gate + "' ] && exit 0; sleep 0.05; done; exit 1");
  }
  ~DownloadSweepTest() override {
    if (script_pid > 0) ::kill(script_pid, SIGKILL);
  }

  // An install of hello 1.0.0 in another process, held inside bin/download.
  std::unique_ptr<test::ForkedChild> start_install() {
    auto child = std::make_unique<test::ForkedChild>([this](int) {
      backends::AsdfPlugin held("hello", plugin_dir, test::kTestTimeouts);
      return install(held, "1.0.0") ? 0 : 1;
    });
    auto end = std::chrono::steady_clock::now() + 20s;
    while (!test::path_exists(started) && std::chrono::steady_clock::now() < end) std::this_thread::sleep_for(10ms);
    script_pid = pid_t(std::atoi(test::read_text(started).c_str()));
    return child;
  }
  std::vector<std::string> downloads() const { return test::list_dir(options.download_root); }
};

TEST_F(DownloadSweepTest, RemovesTheFolderOfAKilledInstall) {
  auto installer = start_install();
  ASSERT_GT(script_pid, 0) << "bin/download never started";
  ASSERT_EQ(downloads().size(), 1u);
  installer->kill_and_reap();  // SIGKILL: the transaction never cleans up
  ::kill(script_pid, SIGKILL);
  ASSERT_TRUE(test::wait_gone(script_pid));
  ASSERT_EQ(downloads().size(), 1u) << "the killed install left no folder: nothing to test";

  auto sweep = util::sweep_plugin_downloads(layout, options.download_root);
  EXPECT_THAT(sweep.errors, IsEmpty());
  ASSERT_EQ(sweep.removed.size(), 1u);
  EXPECT_THAT(sweep.removed[0], HasSubstr(options.download_root + "/1.0.0-"));
  EXPECT_THAT(downloads(), IsEmpty());
}

TEST_F(DownloadSweepTest, KeepsTheFolderOfARunningInstall) {
  auto installer = start_install();
  ASSERT_GT(script_pid, 0) << "bin/download never started";
  auto held = downloads();
  ASSERT_EQ(held.size(), 1u);

  auto sweep = util::sweep_plugin_downloads(layout, options.download_root);
  EXPECT_THAT(sweep.removed, IsEmpty());
  EXPECT_THAT(sweep.errors, IsEmpty());
  EXPECT_EQ(downloads(), held);
  EXPECT_TRUE(test::path_exists(options.download_root + "/" + held[0] + "/hello.sh"));

  test::write_text(gate, "");  // the install goes on, with its download intact
  EXPECT_EQ(installer->wait_exit(), std::optional<int>(0));
  EXPECT_THAT(downloads(), IsEmpty()) << "the transaction removes its own folder";
}

TEST_F(DownloadSweepTest, RemovesFoldersNoInstallOwnsAndNothingElse) {
  test::write_text(options.download_root + "/2.0.0-abc123/blob", "left by a crash");
  test::write_text(options.download_root + "/odd/blob", "no version-build name");
  test::write_text(layout.install_lock("other", "2.0.0"), "");  // a lock file, not held
  auto sweep = util::sweep_plugin_downloads(layout, options.download_root);
  EXPECT_THAT(sweep.errors, IsEmpty());
  EXPECT_EQ(sweep.removed.size(), 2u);
  EXPECT_THAT(downloads(), IsEmpty());
  EXPECT_TRUE(test::path_exists(layout.install_lock("other", "2.0.0"))) << "lock files are never removed";
}

// Issue 10 item 6: CI runners share one RTX_CACHE_DIR, each with its own data
// dir. One runner's sweep judges folders by its own install locks, so it must
// never see another's: each data dir has its own download root.
TEST_F(DownloadSweepTest, ARunnerWithAnotherDataDirNeverSweepsThisOnesFolder) {
  options.download_root = util::plugin_download_root(tmp / "cache", layout.data);
  auto installer = start_install();
  ASSERT_GT(script_pid, 0) << "bin/download never started";
  auto held = downloads();
  ASSERT_EQ(held.size(), 1u);

  resolver::StoreLayout other{tmp / "other-data"};
  std::string other_root = util::plugin_download_root(tmp / "cache", other.data);
  EXPECT_EQ(util::parent_dir(other_root), util::parent_dir(options.download_root)) << "the same cache";
  EXPECT_NE(other_root, options.download_root);
  EXPECT_EQ(other_root, util::plugin_download_root(tmp / "cache", tmp / "other-data")) << "stable";
  auto sweep = util::sweep_plugin_downloads(other, other_root);
  EXPECT_THAT(sweep.removed, IsEmpty());
  EXPECT_EQ(downloads(), held);

  test::write_text(gate, "");
  EXPECT_EQ(installer->wait_exit(), std::optional<int>(0)) << "its download was there to the end";
}

TEST_F(DownloadSweepTest, AMissingDownloadRootIsNothingToDo) {
  auto sweep = util::sweep_plugin_downloads(layout, tmp / "nowhere");
  EXPECT_THAT(sweep.removed, IsEmpty());
  EXPECT_THAT(sweep.errors, IsEmpty());
}

}  // namespace
}  // namespace rtx::backends
