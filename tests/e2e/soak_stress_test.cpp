// The soak (issue 8 item 13): three tools, four users calling their shims in
// tight loops (every call nested: the child must get its parent's pinned
// build, DESIGN.md §5), three watchers holding pinned builds for a second at a
// time, while a seeded sequence of manager cycles runs: upgrades, rollbacks,
// uninstalls, installs, gc, two upgrades at once, an upgrade overlapped by a
// rollback, commands killed by SIGKILL or SIGINT after a random delay, and a
// kill -9 at every named fault point (RTX_FAULT). At the end, recovery and
// `rtx gc --wait` must leave nothing behind.
//
// Counted, each must be 0: failed calls (a shim call failing while a READY
// build matching its request existed: the operations never take the last one
// away), wrong versions (one the config does not allow, a half-built one, or a
// nested call off its pin), builds reaped while pinned (a watcher lost its
// files), orphans after recovery.
//
// RTX_SOAK_SEED (default 20261208) and RTX_SOAK_CYCLES (default 200) steer it;
// the seed is printed so a failing run can be repeated.
#include <gtest/gtest.h>
#include <sys/stat.h>

#include <cstdio>
#include <cstdlib>
#include <deque>
#include <filesystem>
#include <thread>

#include "harness.hpp"
#include "soak_manager.hpp"
#include "soak_operations.hpp"
#include "soak_store_audit.hpp"
#include "soak_tools.hpp"
#include "soak_workers.hpp"
#include "store_probe.hpp"

namespace rtx::e2e {
namespace {

using namespace std::chrono_literals;
using namespace soak;

std::uint64_t env_number(const char* name, std::uint64_t fallback) {
  const char* v = std::getenv(name);
  return v && *v ? std::strtoull(v, nullptr, 10) : fallback;
}

std::string joined(const std::vector<std::string>& lines) {
  std::string out;
  for (const auto& l : lines) out += "\n  " + l;
  return out;
}

class Soak : public ::testing::Test {
 protected:
  std::string scratch(const std::string& name) const { return world.root() + "/soak/" + name; }

  // A project with its config; an rtx command reads it there, so it is tracked
  // (DESIGN.md §7) and protects the build it resolves to from upgrades.
  Project project(const std::string& name, const std::string& rel, const std::string& file, const std::string& text,
                  std::map<std::string, std::vector<std::string>> requests) {
    Project p{name, world.make_project(rel, file, text), std::move(requests)};
    Output o = world.rtx({"current"}, p.dir);
    EXPECT_EQ(o.status, 0) << o.err;
    return p;
  }

  World world;
};

// (lower case "soak" in the name: `ctest -R soak` finds it)
TEST_F(Soak, soak_shims_never_fail_nor_drift_while_the_manager_is_upgraded_rolled_back_killed_and_faulted) {
  const std::uint64_t seed = env_number("RTX_SOAK_SEED", 20261208);
  const int cycles = int(env_number("RTX_SOAK_CYCLES", 200));
  const long t0 = monotonic_ms();
  std::printf("soak: seed=%llu cycles=%d (RTX_SOAK_SEED / RTX_SOAK_CYCLES to change)\n", (unsigned long long)seed,
              cycles);
  std::filesystem::create_directories(world.root() + "/soak");
  world.set_env("RTX_AUTO_INSTALL", "0");  // a missing version must show, not be installed by the shim

  // Three tools, each with a READY 1.x and 2.x release.
  std::string mgr_dir = world.make_project("mgr", ".tool-versions", "hello 1 2\nhola 1 2\nsalut 1 2\n");
  Manager mgr(world, mgr_dir, t0);
  Operations ops(world, mgr, seed);
  for (const auto& tool : tool_names()) {
    link_tool(world, tool);
    Output o = world.rtx({"install", tool + "@1.0.0", tool + "@2.0.0"});
    ASSERT_EQ(o.status, 0) << o.err;
  }
  ASSERT_EQ(world.rtx({"current"}, mgr_dir).status, 0);

  // Four users: fuzzy, latest, a fallback list, an exact version, and a
  // nested directory that names one tool and inherits the others (§4).
  std::vector<Project> users{
      project("A", "proj-a", ".tool-versions", "hello 1\nhola 1\nsalut 1\n",
              {{"hello", {"1"}}, {"hola", {"1"}}, {"salut", {"1"}}}),
      project("B", "proj-b", "rtx.toml", "[tools]\nhello = \"2\"\nhola = \"latest\"\nsalut = [\"2\", \"1\"]\n",
              {{"hello", {"2"}}, {"hola", {"latest"}}, {"salut", {"2", "1"}}}),
      project("C", "proj-c", ".tool-versions", "hello 1.0.0\nhola 2\nsalut latest\n",
              {{"hello", {"1.0.0"}}, {"hola", {"2"}}, {"salut", {"latest"}}}),
      project("D", "proj-a/sub", ".rtx.toml", "[tools]\nhola = \"2\"\n",
              {{"hello", {"1"}}, {"hola", {"2"}}, {"salut", {"1"}}}),
  };
  ASSERT_NE(world.read(world.root() + "/state/tracked-configs").find(users[2].dir), std::string::npos);
  for (const auto& u : users)
    for (const auto& tool : tool_names()) {
      std::string why;
      Output o = world.shim(tool, {"--run", world.shims() + "/" + tool}, u.dir);
      ASSERT_EQ(judge_nested(world, tool, u.requests.at(tool), o, why), Verdict::Ok) << u.name << " " << why;
    }

  const std::string stop = scratch("stop");
  std::vector<std::pair<std::string, Background>> running;
  for (const auto& u : users)
    running.emplace_back(scratch("user-" + u.name),
                         Background(start_shim_loop(world, u, scratch("user-" + u.name), stop, t0)));
  for (const auto& tool : tool_names())
    running.emplace_back(scratch("watch-" + tool), Background(start_watch_loop(world, tool, {users[0], users[1]},
                                                                               scratch("watch-" + tool), stop, t0)));

  // The cycles: every fourth kills a command at a named fault point, until
  // each has fired once; then at random ones.
  const auto points = fault_points_in_sources();
  ASSERT_FALSE(points.empty()) << "no fault_point(\"…\") found under manager/";
  std::deque<std::string> pending(points.begin(), points.end());
  for (int c = 0; c < cycles; ++c) {
    mgr.set_prefix("cycle " + std::to_string(c) + ": ");
    if (c % 4 == 3) {
      std::string point = pending.empty() ? points[ops.pick(points.size())] : pending.front();
      bool fired = ops.fault_cycle(point);
      if (!pending.empty()) {
        pending.pop_front();
        if (!fired) pending.push_back(point);
      }
    } else {
      ops.random_cycle();
    }
    ops.check_requests_served(c);
  }
  mgr.set_prefix("after the cycles: ");
  for (const auto& point : points)
    for (int i = 0; i < 3 && ops.tally.fault_fired[point] == 0; ++i) ops.fault_cycle(point);

  // Everyone stops; the tallies come in.
  std::ofstream(stop).flush();
  Tally users_tally;
  for (auto& [tally_path, proc] : running) {
    EXPECT_EQ(proc.wait(), 0) << tally_path;
    Tally t;
    EXPECT_TRUE(Tally::load(tally_path, t)) << "no tally from " << tally_path;
    users_tally.add(t);
  }

  // Recovery and a final gc that waits; keep_previous = 0 so every RETIRED build goes.
  std::this_thread::sleep_for(1s);  // build children orphaned by kill -9 finish (≤ 0.4 s of sleep)
  Output doctor = mgr.run({"doctor"});
  EXPECT_EQ(doctor.status, 0) << doctor.out << doctor.err;
  write_settings(world, "keep_previous = 0");
  Output gc = mgr.run({"gc", "--wait"});
  EXPECT_EQ(gc.status, 0) << gc.out << gc.err;
  std::vector<std::string> left = orphans(world);
  for (const auto& u : users)
    for (const auto& tool : tool_names()) {
      std::string why;
      Output o = world.shim(tool, {"--run", world.shims() + "/" + tool}, u.dir);
      EXPECT_EQ(judge_nested(world, tool, u.requests.at(tool), o, why), Verdict::Ok)
          << "after recovery, user " << u.name << ": " << why;
    }

  int fired = 0;
  for (const auto& p : points) fired += ops.tally.fault_fired[p] > 0;
  std::string ops_line;
  for (const auto& [kind, n] : ops.tally.ops) ops_line += " " + kind + "=" + std::to_string(n);
  double wall = double(monotonic_ms() - t0) / 1000.0;
  std::printf("soak operations:%s\n", ops_line.c_str());
  std::printf(
      "soak summary: seed=%llu cycles=%d shim_calls=%ld failures=%ld wrong_versions=%ld unsatisfiable=%ld "
      "watch_runs=%ld reaped_while_pinned=%ld orphans=%zu manager_errors=%zu broken_requests=%zu "
      "sigint_leftovers=%zu kills=%d (SIGKILL %d, SIGINT %d, landed %d) fault_points_fired=%d/%zu wall=%.1fs\n",
      (unsigned long long)seed, cycles, users_tally.calls, users_tally.failures, users_tally.wrong,
      users_tally.unsatisfiable, users_tally.watch_runs, users_tally.reaped_while_pinned, left.size(),
      ops.tally.errors.size(), ops.tally.broken_requests.size(), ops.tally.sigint_leftovers.size(),
      ops.tally.sigkills + ops.tally.sigints, ops.tally.sigkills, ops.tally.sigints, ops.tally.signals_landed, fired,
      points.size(), wall);

  EXPECT_GT(users_tally.calls, 100) << "the users barely ran";
  EXPECT_GT(users_tally.watch_runs, 10) << "the watchers barely ran";
  EXPECT_EQ(users_tally.failures, 0) << joined(users_tally.details);
  EXPECT_EQ(users_tally.wrong, 0) << joined(users_tally.details);
  EXPECT_EQ(users_tally.unsatisfiable, 0) << "a request had no READY build: " << joined(users_tally.details);
  EXPECT_EQ(users_tally.reaped_while_pinned, 0) << joined(users_tally.details);
  EXPECT_EQ(left, std::vector<std::string>{}) << "orphans after doctor and gc --wait:" << joined(left);
  EXPECT_EQ(ops.tally.errors, std::vector<std::string>{}) << "manager commands failed:" << joined(ops.tally.errors);
  EXPECT_EQ(ops.tally.broken_requests, std::vector<std::string>{})
      << "the store left a request without a READY build:" << joined(ops.tally.broken_requests);
  EXPECT_EQ(ops.tally.sigint_leftovers, std::vector<std::string>{}) << joined(ops.tally.sigint_leftovers);
  for (const auto& p : points) EXPECT_GT(ops.tally.fault_fired[p], 0) << "RTX_FAULT=" << p << " never fired";
  if (::testing::Test::HasFailure() || std::getenv("RTX_SOAK_VERBOSE"))
    std::printf("soak: every manager command (seed %llu):%s\n", (unsigned long long)seed,
                joined(mgr.history()).c_str());
}

}  // namespace
}  // namespace rtx::e2e
