// The scenario rtx exists for (issue: zero-downtime upgrades). A cron-like loop
// calls the tool through its shim every 10 ms; a long job started through the
// shim reads files in its own prefix every 50 ms; a build script started through
// the shim calls the tool again every 100 ms and checks it keeps its version.
// Meanwhile: a slow upgrade (half-built prefix for 2 s), a rollback, a newer
// version and a second upgrade, then gc. Required: zero failed invocations, the
// half-built version never seen, the long job and the build script keep their
// version to the end, each commit is seen by the next invocation, and the
// retired build (keep_previous = 0) goes within a second of its last user's
// exit, not before.
#include <gtest/gtest.h>
#include <unistd.h>

#include <fstream>
#include <sstream>
#include <thread>

#include "harness.hpp"

namespace rtx::e2e {
namespace {

using namespace std::chrono_literals;

std::string version_in(const std::string& line) {
  // "hello 1.1.0 from /…" → "1.1.0"
  if (line.rfind("hello ", 0) != 0) return {};
  return line.substr(6, line.find(' ', 6) - 6);
}

std::vector<std::string> lines_of(const std::string& text) {
  std::vector<std::string> out;
  std::istringstream in(text);
  for (std::string l; std::getline(in, l);) out.push_back(l);
  return out;
}

class ZeroDowntime : public ::testing::Test {
 protected:
  std::string file(const std::string& name) const { return world.root() + "/" + name; }
  std::string shim_version() const { return version_in(world.shim("hello", {}, project).out); }
  void versions(const std::string& list) { world.set_env("HELLO_VERSIONS", list); }

  World world;
  std::string project;
};

TEST_F(ZeroDowntime, UpgradeRollbackUpgradeGcWhileEverythingRuns) {
  std::ofstream(world.config() + "/config.toml") << "[settings]\nkeep_previous = 0\n";
  versions("1.0.0");
  world.link_sample_plugin();
  project = world.make_project("app", ".tool-versions", "hello 1\n");
  ASSERT_EQ(world.rtx({"install"}, project).status, 0);
  std::string old_build = lines_of(world.rtx({"where", "hello@1.0.0"}).out).at(0);

  // The cron loop: a fresh, unpinned invocation every 10 ms.
  Background cron =
      world.sh_background("while [ ! -e " + file("stop") + " ]; do out=$(hello) || out=\"FAIL $?\"; echo \"$out\" >> " +
                              file("cron.log") + "; sleep 0.01; done",
                          project);
  // The long job: reads its own prefix every 50 ms until told to stop.
  Background job = world.sh_background(
      "hello --run sh -c 'touch " + file("job.up") + "; while [ ! -e " + file("stop") +
          " ]; do cat \"$HELLO_HOME/share/hello/greeting.txt\" > /dev/null || exit 3; sleep 0.05; done'",
      project);
  // The build script: calls the tool through the shim every 100 ms, checks its version.
  Background script =
      world.sh_background("hello --run sh -c 'first=$(hello); touch " + file("script.up") + "; while [ ! -e " +
                              file("stop") + " ]; do now=$(hello) || { echo \"FAIL $?\" >> " + file("script.log") +
                              "; continue; }; [ \"$now\" = \"$first\" ] "
                              "|| echo \"CHANGED $now\" >> " +
                              file("script.log") + "; echo ok >> " + file("script.log") + "; sleep 0.1; done'",
                          project);
  ASSERT_TRUE(wait_for_file(file("job.up"), 10s));
  ASSERT_TRUE(wait_for_file(file("script.up"), 10s));
  std::this_thread::sleep_for(300ms);

  // 1. A slow upgrade: 1.1.0's prefix is half-built for 2 s.
  versions("1.0.0 1.1.0");
  world.set_env("HELLO_INSTALL_SECONDS", "2");
  Output up1 = world.rtx({"upgrade"}, project);
  world.unset_env("HELLO_INSTALL_SECONDS");
  ASSERT_EQ(up1.status, 0) << up1.err;
  EXPECT_EQ(shim_version(), "1.1.0");
  std::this_thread::sleep_for(300ms);

  // 2. Rollback while the old build is still held: it comes back.
  Output rb = world.rtx({"rollback", "hello"}, project);
  ASSERT_EQ(rb.status, 0) << rb.err;
  EXPECT_EQ(shim_version(), "1.0.0");
  std::this_thread::sleep_for(300ms);

  // 3. A newer version appears; 1.1.0 is held back, 1.2.0 is taken.
  versions("1.0.0 1.1.0 1.2.0");
  Output up2 = world.rtx({"upgrade"}, project);
  ASSERT_EQ(up2.status, 0) << up2.err;
  EXPECT_EQ(shim_version(), "1.2.0");
  std::this_thread::sleep_for(300ms);

  Output gc = world.rtx({"gc"}, project);
  EXPECT_EQ(gc.status, 0) << gc.err;
  EXPECT_EQ(::access(old_build.c_str(), F_OK), 0) << "1.0.0 was deleted while the job and the script used it";

  // Everyone stops; 1.0.0's last users exit now.
  std::ofstream(file("stop")).flush();
  EXPECT_EQ(cron.wait(), 0);
  EXPECT_EQ(job.wait(), 0) << "the long job lost its files";
  EXPECT_EQ(script.wait(), 0);
  auto exited = std::chrono::steady_clock::now();
  auto deadline = exited + 10s;
  while (::access(old_build.c_str(), F_OK) == 0 && std::chrono::steady_clock::now() < deadline)
    std::this_thread::sleep_for(10ms);
  auto took = std::chrono::duration_cast<std::chrono::milliseconds>(std::chrono::steady_clock::now() - exited);
  EXPECT_NE(::access(old_build.c_str(), F_OK), 0) << "the retired 1.0.0 outlived its last user";
  // Within a second by design (waiter back-off ≤ 250 ms); noisy CI gets slack.
  EXPECT_LT(took, 5s);
  std::printf("retired build removed %lld ms after its last user exited\n", (long long)took.count());

  // Zero failures; the half-built version was never run (it would fail with 3);
  // the cron loop saw each commit in order.
  auto cron_lines = lines_of(world.read(file("cron.log")));
  // Enough calls to span every phase; how many depends on the machine's load
  // (a loaded CI runner made exactly 50), so this is no speed test.
  ASSERT_GT(cron_lines.size(), 20u);
  std::vector<std::string> phases;
  for (const auto& l : cron_lines) {
    std::string v = version_in(l);
    ASSERT_FALSE(v.empty()) << "a cron invocation failed: " << l;
    if (phases.empty() || phases.back() != v) phases.push_back(v);
  }
  EXPECT_EQ(phases, (std::vector<std::string>{"1.0.0", "1.1.0", "1.0.0", "1.2.0"}));

  auto script_lines = lines_of(world.read(file("script.log")));
  EXPECT_GT(script_lines.size(), 10u);
  for (const auto& l : script_lines) EXPECT_EQ(l, "ok") << "the build script saw another version or failed";
}

}  // namespace
}  // namespace rtx::e2e
