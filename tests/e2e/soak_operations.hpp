// The soak's cycles: one manager operation each (upgrade, rollback,
// uninstall, install, gc, two upgrades at once, an upgrade overlapped by a
// rollback, a command killed with SIGKILL or SIGINT after a random delay, a
// command killed at a named fault point), chosen by a seeded generator.
//
// The operations never take away the last READY build a user's request can
// match (the store itself must not either): every tool always keeps a READY
// 1.x and 2.x release, and hello 1.0.0 (asked for exactly, by a tracked
// config) is never uninstalled. So any failed shim call is rtx's fault.
#pragma once

#include <signal.h>

#include <algorithm>
#include <chrono>
#include <filesystem>
#include <fstream>
#include <map>
#include <random>
#include <regex>
#include <set>
#include <string>
#include <thread>
#include <vector>

#include "harness.hpp"
#include "soak_manager.hpp"
#include "soak_store_audit.hpp"
#include "soak_tools.hpp"
#include "store_probe.hpp"

namespace rtx::e2e::soak {

// Every RTX_FAULT name in the manager's sources (manager/util/fault_point.hpp).
inline std::vector<std::string> fault_points_in_sources() {
  std::set<std::string> names;
  std::regex call(R"(fault_point\(\s*"([A-Za-z0-9_-]+)\"\s*\))");
  for (const auto& e : std::filesystem::recursive_directory_iterator(source_dir() + "/manager")) {
    if (!e.is_regular_file() || e.path().filename() == "fault_point.cpp") continue;
    std::ifstream in(e.path());
    std::string text((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
    for (std::sregex_iterator it(text.begin(), text.end(), call), end; it != end; ++it) names.insert((*it)[1]);
  }
  return {names.begin(), names.end()};
}

struct ManagerTally {
  std::map<std::string, int> ops;
  int sigkills = 0, sigints = 0, signals_landed = 0;
  std::map<std::string, int> fault_attempts, fault_fired;
  std::vector<std::string> errors;            // an uninterrupted command failed for no stated reason
  std::vector<std::string> broken_requests;   // after a cycle, a request had no READY build
  std::vector<std::string> sigint_leftovers;  // Ctrl-C left a BUILDING/FAILED entry (DESIGN.md §9)
};

class Operations {
 public:
  Operations(World& world, Manager& manager, std::uint64_t seed) : world_(world), mgr_(manager), rng_(seed) {
    for (const auto& t : tool_names()) {
      remote_[t] = RemoteVersions();
      world_.set_env(versions_variable(t), remote_[t].text());
    }
  }

  ManagerTally tally;

  std::size_t pick(std::size_t n) { return std::uniform_int_distribution<std::size_t>(0, n - 1)(rng_); }
  bool chance(double p) { return std::bernoulli_distribution(p)(rng_); }
  const std::string& any_tool() { return tool_names()[pick(tool_names().size())]; }

  std::string publish(const std::string& tool, int major, bool rc = false) {
    std::string v = remote_[tool].publish_next(major, rc);
    world_.set_env(versions_variable(tool), remote_[tool].text());
    mgr_.log("published " + tool + " " + v);
    return v;
  }

  // One random cycle (fault cycles are chosen by the caller).
  void random_cycle() {
    const std::string& tool = any_tool();
    if (chance(0.3)) publish(any_tool(), 1 + int(pick(2)), chance(0.15));
    static const std::vector<std::pair<const char*, int>> weights{
        {"upgrade", 20}, {"rollback", 10},         {"uninstall", 10},          {"install", 12},
        {"gc", 8},       {"upgrades-at-once", 12}, {"upgrade-vs-rollback", 6}, {"kill", 22}};
    int total = 0;
    for (const auto& w : weights) total += w.second;
    int roll = int(pick(std::size_t(total)));
    std::string kind;
    for (const auto& w : weights)
      if ((roll -= w.second) < 0) {
        kind = w.first;
        break;
      }
    ++tally.ops[kind];
    if (kind == "upgrade") expect_ok(mgr_.run({"upgrade", tool}));
    if (kind == "rollback") expect_ok_or_refused(mgr_.run({"rollback", tool}));
    if (kind == "uninstall") uninstall_one(tool, {});
    if (kind == "install") install_one(tool);
    if (kind == "gc") expect_ok(mgr_.run({"gc"}));
    if (kind == "upgrades-at-once") upgrades_at_once(tool);
    if (kind == "upgrade-vs-rollback") upgrade_vs_rollback(tool);
    if (kind == "kill") kill_one(tool);
  }

  // Runs one command with RTX_FAULT=point, by a recipe that reaches it.
  bool fault_cycle(const std::string& point) {
    ++tally.ops["fault"];
    int attempt = tally.fault_attempts[point]++;
    const std::string& tool = any_tool();
    EnvOverrides fault{{"RTX_FAULT", point}};
    Output o;
    std::string recipe = point.rfind("reap-", 0) == 0       ? "uninstall"
                         : point.rfind("rollback-", 0) == 0 ? "rollback"
                         : point.rfind("install-", 0) == 0 || point.rfind("commit-", 0) == 0
                             ? "upgrade"
                             : std::vector<std::string>{"upgrade", "uninstall", "rollback"}[attempt % 3];
    if (recipe == "upgrade") {
      publish(tool, 2);
      o = mgr_.run({"upgrade", tool}, fault);
    } else if (recipe == "uninstall") {  // a release candidate: no user resolves it, so nothing holds it
      std::string rc = newest_candidate(tool);
      if (!is_ready(tool, rc)) expect_ok(mgr_.run({"install", tool + "@" + rc}));
      o = mgr_.run({"uninstall", tool + "@" + rc}, fault);
    } else {
      publish(tool, 2);
      expect_ok(mgr_.run({"upgrade", tool}));
      o = mgr_.run({"rollback", tool}, fault);
    }
    bool fired = o.status == 128 + SIGKILL;
    if (fired) ++tally.fault_fired[point];
    return fired;
  }

  // After a cycle, with nothing running: every request still has a READY build.
  void check_requests_served(int cycle) {
    for (const auto& tool : tool_names()) {
      auto ready = ready_versions(world_, tool);
      for (const char* spec : {"1", "2"})
        if (!satisfiable(world_, tool, {spec}))
          tally.broken_requests.push_back("after cycle " + std::to_string(cycle) + ": no READY " + tool + " " + spec +
                                          ".x");
      if (tool == "hello" && !satisfiable(world_, tool, {"1.0.0"}))
        tally.broken_requests.push_back("after cycle " + std::to_string(cycle) + ": no READY hello 1.0.0");
    }
  }

 private:
  bool is_ready(const std::string& tool, const std::string& v) {
    auto r = ready_versions(world_, tool);
    return std::find(r.begin(), r.end(), v) != r.end();
  }

  std::string newest_candidate(const std::string& tool) {
    std::string rc;
    for (const auto& v : remote_[tool].all())
      if (is_prerelease(v)) rc = v;
    return rc;
  }

  // Versions that may go without leaving a request unserved.
  std::vector<std::string> removable(const std::string& tool) {
    auto ready = ready_versions(world_, tool);
    std::vector<std::string> out;
    for (const auto& v : ready) {
      if (tool == "hello" && v == "1.0.0") continue;
      int same_major = 0;
      for (const auto& o : ready) same_major += !is_prerelease(o) && major_of(o) == major_of(v);
      if (is_prerelease(v) || same_major >= 2) out.push_back(v);
    }
    return out;
  }

  void uninstall_one(const std::string& tool, const EnvOverrides& env) {
    auto candidates = removable(tool);
    if (candidates.empty()) return install_one(tool);
    expect_ok(mgr_.run({"uninstall", tool + "@" + candidates[pick(candidates.size())]}, env));
  }

  // A remote version not installed (old, new or a release candidate), or a
  // second build of an installed one (`--force`: the old build is retired).
  void install_one(const std::string& tool) {
    auto ready = ready_versions(world_, tool);
    std::vector<std::string> absent;
    for (const auto& v : remote_[tool].all())
      if (std::find(ready.begin(), ready.end(), v) == ready.end()) absent.push_back(v);
    if (!absent.empty() && chance(0.5))
      expect_ok(mgr_.run({"install", tool + "@" + absent[pick(absent.size())]}));
    else if (!ready.empty())
      expect_ok(mgr_.run({"install", "--force", tool + "@" + ready[pick(ready.size())]}));
  }

  // Two upgraders at once; the second may see a newer remote list (issue 8 item 6).
  void upgrades_at_once(const std::string& tool) {
    int major = 1 + int(pick(2));
    publish(tool, major);
    Running a = mgr_.start({"upgrade", tool}, {{"HELLO_INSTALL_SECONDS", "0.3"}});
    std::this_thread::sleep_for(std::chrono::milliseconds(pick(300)));
    if (chance(0.5)) publish(tool, major);
    Running b = mgr_.start({"upgrade", tool});
    expect_ok(mgr_.finish(a, " [A]"));
    expect_ok(mgr_.finish(b, " [B, overlapping A]"));
  }

  void upgrade_vs_rollback(const std::string& tool) {
    publish(tool, 1 + int(pick(2)));
    Running a = mgr_.start({"upgrade", tool}, {{"HELLO_INSTALL_SECONDS", "0.4"}});
    std::this_thread::sleep_for(std::chrono::milliseconds(100 + pick(200)));
    Running b = mgr_.start({"rollback", tool});
    expect_ok(mgr_.finish(a, " [A]"));
    expect_ok_or_refused(mgr_.finish(b, " [B, during A]"));
  }

  // A command killed after a random delay: kill -9 of rtx alone (its build
  // child lives on, as after a real kill -9), or SIGINT (Ctrl-C: rtx stops its
  // build and must leave no BUILDING entry, DESIGN.md §9).
  void kill_one(const std::string& tool) {
    int sig = chance(0.5) ? SIGKILL : SIGINT;
    ++(sig == SIGKILL ? tally.sigkills : tally.sigints);
    EnvOverrides env;
    if (chance(0.5)) env.push_back({"HELLO_INSTALL_SECONDS", "0.3"});
    std::vector<std::string> args;
    switch (pick(5)) {
      case 0:
        publish(tool, 1 + int(pick(2)));
        args = {"upgrade", tool};
        break;
      case 1: {
        auto ready = ready_versions(world_, tool);
        if (ready.empty()) ready.push_back(newest_candidate(tool));
        args = {"install", "--force", tool + "@" + ready[pick(ready.size())]};
        break;
      }
      case 2:
        args = {"rollback", tool};
        break;
      case 3:
        args = {"gc"};
        break;
      default: {
        auto candidates = removable(tool);
        if (candidates.empty()) {  // a release candidate can always go
          candidates.push_back(newest_candidate(tool));
          expect_ok(mgr_.run({"install", tool + "@" + candidates[0]}));
        }
        args = {"uninstall", tool + "@" + candidates[pick(candidates.size())]};
      }
    }
    bool clean_before = building_or_failed().empty();
    auto delay = std::chrono::milliseconds(pick(700));
    Running r = mgr_.start(args, env);
    std::this_thread::sleep_for(delay);
    ::kill(r.proc.pid(), sig);
    Output o = mgr_.finish(r, std::string(" [") + (sig == SIGKILL ? "SIGKILL" : "SIGINT") + " after " +
                                  std::to_string(delay.count()) + "ms]");
    if (o.status == 128 + sig || (sig == SIGINT && o.status == 130)) ++tally.signals_landed;
    if (o.status > 128 && o.status != 128 + sig && o.status != 130)
      tally.errors.push_back(mgr_.history().back() + " (died of another signal)");
    if (sig == SIGINT && clean_before)
      for (const auto& left : building_or_failed())
        tally.sigint_leftovers.push_back(mgr_.history().back() + " left " + left);
  }

  std::vector<std::string> building_or_failed() {
    std::vector<std::string> out;
    for (const auto& tool : tool_names())
      for (const auto& b : builds(world_, tool))
        if (b.state == "BUILDING" || b.state == "FAILED") out.push_back(tool + "/" + b.name + " " + b.state);
    return out;
  }

  void expect_ok(const Output& o) {
    if (o.status != 0) tally.errors.push_back(mgr_.history().back());
  }
  void expect_ok_or_refused(const Output& o) {
    bool refused = o.err.find("nothing to roll") != std::string::npos || o.err.find("cannot roll") != std::string::npos;
    if (o.status != 0 && !refused) tally.errors.push_back(mgr_.history().back());
  }

  World& world_;
  Manager& mgr_;
  std::mt19937_64 rng_;
  std::map<std::string, RemoteVersions> remote_;
};

}  // namespace rtx::e2e::soak
