// The install transaction (DESIGN.md §6) with the sample asdf plugin and with
// broken plugins: a failure of any kind leaves the store exactly as it was.
#include "manager/store/install_transaction.hpp"

#include <gmock/gmock.h>
#include <gtest/gtest.h>
#include <signal.h>

#include "child_process.hpp"
#include "install_fixture.hpp"
#include "manager/util/process_runner.hpp"
#include "resolver/build_meta.hpp"

namespace rtx::store {
namespace {

using namespace std::chrono_literals;
using test::base_name;
using test::list_dir;
using ::testing::ElementsAre;
using ::testing::HasSubstr;
using ::testing::IsEmpty;
using ::testing::UnorderedElementsAre;

using InstallTransaction = test::InstallFixture;

std::string run_hello(const std::string& entry_path) {
  util::RunSpec spec;
  spec.argv = {entry_path + "/bin/hello"};
  spec.capture_stdout = true;
  auto r = util::run_process(spec);
  return r.ok() ? r.out : "failed: " + r.describe(0ms);
}

TEST_F(InstallTransaction, InstallsAReadyBuildWithPointerFuzzyLinksAndShims) {
  auto out = install_hello("1.0.0");
  ASSERT_TRUE(out) << out.error();
  EXPECT_FALSE(out->already_installed);
  EXPECT_EQ(out->retired_entry, "");
  const std::string entry = base_name(out->entry_path);
  EXPECT_EQ(out->entry_path, layout.entry_path("hello", entry));
  EXPECT_EQ(entry.rfind("1.0.0-", 0), 0u) << entry;

  EXPECT_EQ(resolver::read_state(out->entry_path), resolver::EntryState::Ready);
  EXPECT_THAT(store_files(), UnorderedElementsAre(entry, entry + ".lease", entry + ".meta", entry + ".state"));
  EXPECT_EQ(run_hello(out->entry_path), "hello 1.0.0 from " + out->entry_path + "\n")
      << "built in place: the prefix written into the files is the final one";

  auto meta = resolver::load_build_meta(out->entry_path);
  EXPECT_THAT(meta.bin_dirs, ElementsAre("bin"));
  EXPECT_THAT(meta.env, ElementsAre(::testing::Pair("HELLO_HOME", out->entry_path)));

  auto links = installs();
  EXPECT_EQ(links["1.0.0"], "../../store/hello/" + entry);
  EXPECT_EQ(links["1.0"], "1.0.0");
  EXPECT_EQ(links["1"], "1.0.0");
  EXPECT_EQ(links["latest"], "1.0.0");
  EXPECT_EQ(links.size(), 4u);

  EXPECT_EQ(test::link_target(layout.shims_dir() + "/hello"), options.shim_binary);
  EXPECT_EQ(test::read_text(layout.shim_index()), "hello\thello\n");
  EXPECT_THAT(list_dir(options.download_root), IsEmpty()) << "downloads are scratch space";
}

TEST_F(InstallTransaction, SecondInstallOfTheSameVersionIsAlreadyInstalled) {
  auto first = install_hello("1.0.0");
  ASSERT_TRUE(first) << first.error();
  auto files = store_files();
  auto second = install_hello("1.0.0");
  ASSERT_TRUE(second) << second.error();
  EXPECT_TRUE(second->already_installed);
  EXPECT_EQ(second->entry_path, first->entry_path);
  EXPECT_EQ(store_files(), files);
}

TEST_F(InstallTransaction, ForceBuildsANewEntryAndRetiresThePreviousOne) {
  auto first = install_hello("1.0.0");
  ASSERT_TRUE(first) << first.error();
  auto forced = install_hello("1.0.0", /*force=*/true);
  ASSERT_TRUE(forced) << forced.error();
  EXPECT_FALSE(forced->already_installed);
  EXPECT_NE(forced->entry_path, first->entry_path);
  EXPECT_EQ(forced->retired_entry, base_name(first->entry_path));

  EXPECT_EQ(resolver::read_state(forced->entry_path), resolver::EntryState::Ready);
  EXPECT_EQ(resolver::read_state(first->entry_path), resolver::EntryState::Retired);
  // The retired build keeps serving whoever pinned it: nothing of it is deleted.
  EXPECT_EQ(run_hello(first->entry_path), "hello 1.0.0 from " + first->entry_path + "\n");
  EXPECT_TRUE(test::path_exists(first->entry_path + ".lease"));
  EXPECT_EQ(resolver::pointer_entry(layout, "hello", "1.0.0"), base_name(forced->entry_path));
  EXPECT_EQ(installs()["latest"], "1.0.0");
}

TEST_F(InstallTransaction, NewerVersionsMoveTheFuzzyLinksButNotToPrereleases) {
  for (const char* v : {"1.0.0", "2.0.0", "1.1.0", "2.1.0-rc1"}) {
    auto out = install_hello(v);
    ASSERT_TRUE(out) << v << ": " << out.error();
  }
  auto links = installs();
  EXPECT_EQ(links["latest"], "2.0.0");
  EXPECT_EQ(links["1"], "1.1.0");
  EXPECT_EQ(links["2"], "2.0.0");
  EXPECT_EQ(links.count("2.1"), 0u);
  EXPECT_EQ(resolver::read_state(layout.entry_path("hello", resolver::pointer_entry(layout, "hello", "1.0.0"))),
            resolver::EntryState::Ready)
      << "another version is never retired by an install";
  EXPECT_EQ(test::read_text(layout.shim_index()), "hello\thello\n");
}

TEST_F(InstallTransaction, InvalidVersionTouchesNothing) {
  auto backend = hello();
  for (const char* bad : {"../evil", "1.0/2", ""}) {
    auto out = install(backend, bad);
    EXPECT_FALSE(out) << "'" << bad << "' was accepted";
  }
  auto out = install(backend, "1.0.0", false, "../tool");
  EXPECT_FALSE(out);
  EXPECT_FALSE(test::path_exists(layout.data)) << "refused before touching the filesystem";
}

// What every failed install must leave: the store, installs/ and shims/ exactly
// as before, and an error naming the plugin.
struct FailedInstall : test::InstallFixture {
  std::vector<std::string> files_before;
  std::map<std::string, std::string> links_before;
  std::string index_before;
  std::string previous;  // entry path of hello 1.0.0

  void SetUp() override {
    auto out = install_hello("1.0.0");
    ASSERT_TRUE(out) << out.error();
    previous = out->entry_path;
    files_before = store_files();
    links_before = installs();
    index_before = test::read_text(layout.shim_index());
  }

  void expect_nothing_changed(const Expected<InstallOutcome>& out) {
    ASSERT_FALSE(out) << "the install succeeded";
    EXPECT_THAT(out.error(), HasSubstr("plugin hello")) << "the error names the plugin";
    EXPECT_THAT(out.error(), HasSubstr("nothing changed"));
    EXPECT_EQ(store_files(), files_before) << "no BUILDING, FAILED, lease, state or meta file may stay";
    EXPECT_EQ(installs(), links_before);
    EXPECT_EQ(resolver::read_state(previous), resolver::EntryState::Ready);
    EXPECT_EQ(run_hello(previous), "hello 1.0.0 from " + previous + "\n");
    EXPECT_EQ(test::read_text(layout.shim_index()), index_before);
    EXPECT_THAT(list_dir(options.download_root), IsEmpty());
  }
};

TEST_F(FailedInstall, FailingPluginLeavesNoEntry) {
  test::ScopedEnv fail("HELLO_FAIL_INSTALL", "1");
  auto out = install_hello("2.0.0");
  expect_nothing_changed(out);
  EXPECT_THAT(out.error(), HasSubstr("bin/install"));
  EXPECT_THAT(out.error(), HasSubstr(test::hello_plugin_dir()));
}

TEST_F(FailedInstall, FailingForcedReinstallKeepsTheCurrentBuild) {
  test::ScopedEnv fail("HELLO_FAIL_INSTALL", "1");
  auto out = install_hello("1.0.0", /*force=*/true);
  expect_nothing_changed(out);
}

TEST_F(FailedInstall, InstallWithoutExecutablesFailsVerification) {
  std::string dir = plugin_copy("no-exec");
  test::write_script(dir + "/bin/install",
                     "mkdir -p \"$ASDF_INSTALL_PATH/bin\"\n"
                     "echo 'not runnable' > \"$ASDF_INSTALL_PATH/bin/hello\"");
  backends::AsdfPlugin broken("hello", dir, test::kTestTimeouts);
  auto out = install(broken, "2.0.0");
  expect_nothing_changed(out);
  EXPECT_THAT(out.error(), HasSubstr("without executables"));
}

TEST_F(FailedInstall, FailingSmokeTestFailsTheInstall) {
  std::string dir = plugin_copy("bad-smoke");
  test::write_script(dir + "/bin/smoke", "echo 'hello: broken build' >&2; exit 3");
  backends::AsdfPlugin broken("hello", dir, test::kTestTimeouts);
  auto out = install(broken, "2.0.0");
  expect_nothing_changed(out);
  EXPECT_THAT(out.error(), HasSubstr("smoke"));
}

TEST_F(FailedInstall, BinPathsOutsideThePrefixFailTheInstall) {
  std::string dir = plugin_copy("escape");
  test::write_script(dir + "/bin/list-bin-paths", "echo ../../../../bin");
  backends::AsdfPlugin broken("hello", dir, test::kTestTimeouts);
  auto out = install(broken, "2.0.0");
  expect_nothing_changed(out);
}

TEST_F(FailedInstall, HangingPluginIsKilledByTheTimeout) {
  std::string dir = plugin_copy("hang");
  std::string pid_file = tmp / "hang.pid";
  test::write_script(dir + "/bin/install",
                     "mkdir -p \"$ASDF_INSTALL_PATH/bin\"\n"
                     "sleep 100 & echo $! > '" +
                         pid_file +
                         "'\n"
                         "wait");
  backends::AsdfPlugin hanging("hello", dir, backends::PluginTimeouts{10s, 1s, 10s});
  auto start = std::chrono::steady_clock::now();
  auto out = install(hanging, "2.0.0");
  auto took = std::chrono::steady_clock::now() - start;
  pid_t sleeper = pid_t(std::atol(test::read_text(pid_file).c_str()));
  bool gone = sleeper > 0 && test::wait_gone(sleeper, 3s);
  if (sleeper > 0 && !gone) ::kill(sleeper, SIGKILL);
  expect_nothing_changed(out);
  EXPECT_THAT(out.error(), HasSubstr("timed out"));
  EXPECT_LT(took, 8s);
  EXPECT_TRUE(gone) << "the plugin's child outlived the timeout";
}

}  // namespace
}  // namespace rtx::store
