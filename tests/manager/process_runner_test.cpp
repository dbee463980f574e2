// util::run_process: real child processes in their own process group.
#include "manager/util/process_runner.hpp"

#include <gmock/gmock.h>
#include <gtest/gtest.h>
#include <signal.h>

#include <chrono>
#include <cstdlib>

#include "child_process.hpp"
#include "fs_helpers.hpp"
#include "tests/support/scoped_env.hpp"
#include "tests/support/temp_dir.hpp"

namespace rtx::util {
namespace {

using namespace std::chrono_literals;
using ::testing::HasSubstr;

RunSpec shell(const std::string& script) {
  RunSpec spec;
  spec.argv = {"/bin/sh", "-c", script};
  spec.capture_stdout = true;
  return spec;
}

pid_t read_pid(const std::string& file) { return pid_t(std::atol(test::read_text(file).c_str())); }

TEST(RunProcess, CapturesStdoutAndStatus) {
  auto r = run_process(shell("printf 'one\\ntwo'; echo ' three'"));
  EXPECT_TRUE(r.ok()) << r.describe(0ms);
  EXPECT_EQ(r.exit_code, 0);
  EXPECT_EQ(r.out, "one\ntwo three\n");
  EXPECT_FALSE(r.timed_out);
}

TEST(RunProcess, PassesArgumentsUnchanged) {
  RunSpec spec = shell("for a in \"$@\"; do printf '[%s]' \"$a\"; done");
  spec.argv.insert(spec.argv.end(), {"argv0", "a b", "", "$HOME", "*"});
  auto r = run_process(spec);
  ASSERT_TRUE(r.ok());
  EXPECT_EQ(r.out, "[a b][][$HOME][*]");
}

TEST(RunProcess, CapturesLargeOutput) {
  auto r = run_process(shell("i=0; while [ $i -lt 20000 ]; do echo 0123456789abcdef; i=$((i+1)); done"));
  ASSERT_TRUE(r.ok());
  EXPECT_EQ(r.out.size(), 20000u * 17u);
}

TEST(RunProcess, ReportsTheExitStatus) {
  auto r = run_process(shell("echo partial; exit 3"));
  EXPECT_FALSE(r.ok());
  EXPECT_EQ(r.exit_code, 3);
  EXPECT_EQ(r.out, "partial\n");
  EXPECT_EQ(r.describe(0ms), "exited with status 3");
}

// A plugin killed by a signal (the OOM killer, a kill -9) must say so, not
// look like a script that chose to exit with status 9.
TEST(RunProcess, ReportsDeathBySignal) {
  auto r = run_process(shell("kill -KILL $$"));
  EXPECT_FALSE(r.ok());
  EXPECT_THAT(r.describe(0ms), HasSubstr("signal 9")) << "exit_code=" << r.exit_code;
}

TEST(RunProcess, MissingExecutableIsASpawnError) {
  test::ScopedTempDir tmp;
  RunSpec spec;
  spec.argv = {tmp / "no-such-program"};
  auto r = run_process(spec);
  EXPECT_FALSE(r.ok());
  EXPECT_FALSE(r.spawn_error.empty());
  EXPECT_THAT(r.describe(0ms), HasSubstr("could not start"));
}

TEST(RunProcess, EnvironmentOverridesReplaceAndAdd) {
  test::ScopedEnv inherited("RTX_TEST_INHERITED", "from-parent");
  test::ScopedEnv replaced("RTX_TEST_REPLACED", "old");
  RunSpec spec =
      shell("echo \"$RTX_TEST_INHERITED|$RTX_TEST_REPLACED|$RTX_TEST_ADDED\"; env | grep -c '^RTX_TEST_REPLACED='");
  spec.env = {{"RTX_TEST_REPLACED", "new"}, {"RTX_TEST_ADDED", "added=with=equals"}};
  auto r = run_process(spec);
  ASSERT_TRUE(r.ok()) << r.describe(0ms);
  EXPECT_EQ(r.out, "from-parent|new|added=with=equals\n1\n");
}

TEST(RunProcess, RunsInTheGivenDirectory) {
  test::ScopedTempDir tmp;
  test::make_dirs(tmp / "work dir");
  RunSpec spec = shell("pwd; ls");
  spec.cwd = tmp / "work dir";
  test::write_text(tmp / "work dir/marker", "");
  auto r = run_process(spec);
  ASSERT_TRUE(r.ok()) << r.describe(0ms);
  EXPECT_EQ(r.out, tmp / "work dir\nmarker\n");
}

TEST(RunProcess, MissingDirectoryFailsToStart) {
  test::ScopedTempDir tmp;
  RunSpec spec = shell("echo ran");
  spec.cwd = tmp / "missing";
  auto r = run_process(spec);
  EXPECT_FALSE(r.ok());
  EXPECT_EQ(r.out, "");
}

// The timeout kills the whole process group: the script and the `sleep` it started.
TEST(RunProcess, TimeoutKillsTheWholeProcessGroup) {
  test::ScopedTempDir tmp;
  std::string pid_file = tmp / "grandchild.pid";
  RunSpec spec = shell("sleep 100 & echo $! > '" + pid_file + "'; wait");
  spec.timeout = 500ms;
  auto start = std::chrono::steady_clock::now();
  auto r = run_process(spec);
  auto took = std::chrono::steady_clock::now() - start;
  pid_t grandchild = read_pid(pid_file);
  ASSERT_GT(grandchild, 0) << "the script never started its child";
  bool gone = test::wait_gone(grandchild, 3s);
  if (!gone) ::kill(grandchild, SIGKILL);
  EXPECT_TRUE(r.timed_out);
  EXPECT_FALSE(r.ok());
  EXPECT_GE(took, 500ms);
  EXPECT_LT(took, 4s);
  EXPECT_TRUE(gone) << "sleep " << grandchild << " survived the timeout";
  EXPECT_THAT(r.describe(500ms), HasSubstr("timed out"));
}

// A background child that keeps stdout open neither blocks the runner nor outlives it.
TEST(RunProcess, ExitedScriptDoesNotWaitForItsBackgroundChildren) {
  test::ScopedTempDir tmp;
  std::string pid_file = tmp / "straggler.pid";
  auto start = std::chrono::steady_clock::now();
  auto r = run_process(shell("sleep 100 & echo $! > '" + pid_file + "'; echo done"));
  auto took = std::chrono::steady_clock::now() - start;
  pid_t straggler = read_pid(pid_file);
  ASSERT_GT(straggler, 0);
  bool gone = test::wait_gone(straggler, 3s);
  if (!gone) ::kill(straggler, SIGKILL);
  EXPECT_TRUE(r.ok()) << r.describe(0ms);
  EXPECT_EQ(r.out, "done\n");
  EXPECT_LT(took, 4s);
  EXPECT_TRUE(gone);
}

TEST(RunProcess, TimeoutDescriptionReadsAsSeconds) {
  RunResult r;
  r.timed_out = true;
  EXPECT_THAT(r.describe(500ms), HasSubstr("timed out after 0.5"));
  // The default install timeout (30 min): "1800.s" reads like a typo.
  EXPECT_THAT(r.describe(1'800'000ms), ::testing::Not(HasSubstr(".s"))) << r.describe(1'800'000ms);
}

// Ctrl-C while a plugin runs: the child's group is stopped and the runner
// returns `interrupted`. In a forked child, since the recorded signal is sticky.
TEST(RunProcess, InterruptStopsTheChildAndIsReported) {
  test::ScopedTempDir tmp;
  std::string pid_file = tmp / "sleep.pid";
  test::ForkedChild child([&](int) {
    install_interrupt_handlers();
    RunSpec spec = shell("sleep 100 & echo $! > '" + pid_file + "'; kill -INT $PPID; wait");
    auto start = std::chrono::steady_clock::now();
    auto r = run_process(spec);
    if (std::chrono::steady_clock::now() - start > 5s) return 2;
    if (!r.interrupted || r.ok()) return 3;
    if (!interrupted()) return 4;
    // Once interrupted, nothing more is started.
    if (!run_process(shell("echo again")).interrupted) return 5;
    return 0;
  });
  auto status = child.wait_exit(15s);
  ASSERT_TRUE(status.has_value()) << "the runner did not return after SIGINT";
  EXPECT_EQ(*status, 0);
  pid_t sleeper = read_pid(pid_file);
  ASSERT_GT(sleeper, 0);
  bool gone = test::wait_gone(sleeper, 3s);
  if (!gone) ::kill(sleeper, SIGKILL);
  EXPECT_TRUE(gone);
}

}  // namespace
}  // namespace rtx::util
