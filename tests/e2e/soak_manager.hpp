// The soak's manager side: `rtx …` commands started in the background (so they
// can overlap, or be killed after a delay), their outcome, and a timestamped
// log of every command for the report.
#pragma once

#include <signal.h>

#include <string>
#include <utility>
#include <vector>

#include "harness.hpp"
#include "soak_workers.hpp"

namespace rtx::e2e::soak {

using EnvOverrides = std::vector<std::pair<std::string, std::string>>;

struct Running {
  Background proc;  // the rtx process itself (sh execs it): signals reach rtx, not a shell
  std::string base;
  std::string what;
  long started_ms = 0;
};

class Manager {
 public:
  Manager(const World& world, std::string dir, long t0) : world_(world), dir_(std::move(dir)), t0_(t0) {}

  Running start(const std::vector<std::string>& args, const EnvOverrides& env = {}) {
    std::string base = world_.root() + "/soak/cmd-" + std::to_string(++count_);
    std::string what, cmd = "exec env";
    for (const auto& [k, v] : env) {
      cmd += " " + k + "='" + v + "'";
      if (k.find("_VERSIONS") == std::string::npos) what += k + "=" + v + " ";
    }
    cmd += " '" + rtx_binary() + "'";
    what += "rtx";
    for (const auto& a : args) {
      cmd += " '" + a + "'";
      what += " " + a;
    }
    cmd += " > " + base + ".out 2> " + base + ".err";
    return Running{world_.sh_background(cmd, dir_), base, what, monotonic_ms()};
  }

  // Waits for the command; logs "t=… <command> -> <status>: <last stderr line>".
  Output finish(Running& r, const std::string& note = {}) {
    Output o;
    o.status = r.proc.wait();
    o.out = world_.read(r.base + ".out");
    o.err = world_.read(r.base + ".err");
    std::string last = o.err;
    while (!last.empty() && last.back() == '\n') last.pop_back();
    last = last.substr(last.rfind('\n') == std::string::npos ? 0 : last.rfind('\n') + 1);
    log("t=" + std::to_string(r.started_ms - t0_) + "ms +" + std::to_string(monotonic_ms() - r.started_ms) + "ms " +
        r.what + note + " -> " + std::to_string(o.status) + (last.empty() ? "" : ": " + last));
    return o;
  }

  Output run(const std::vector<std::string>& args, const EnvOverrides& env = {}) {
    Running r = start(args, env);
    return finish(r);
  }

  void log(const std::string& line) { log_.push_back(prefix_ + line); }
  void set_prefix(const std::string& p) { prefix_ = p; }
  const std::vector<std::string>& history() const { return log_; }

 private:
  const World& world_;
  std::string dir_;
  long t0_;
  int count_ = 0;
  std::string prefix_;
  std::vector<std::string> log_;
};

}  // namespace rtx::e2e::soak
