// rtx-bench-startup: how fast the manager answers the commands people and
// prompts run often (issue 11 item 3): `rtx --version`, current, which, ls,
// ps, against mise's (2026.9.15, fetched by bench/startup_vs_mise.sh) and
// against the full manager called directly (rtx-manager: what `rtx` was before
// the static front, docs/decisions.md "A light front binary").
//
// Setup, in a fresh root under --dir: the asdf plugin examples/asdf-hello
// linked into both (`rtx plugins link`, `mise plugins link`: nothing leaves
// the machine), hello 1.0.0 installed by each, and one project directory with
// rtx.toml and mise.toml both asking for it. Then R interleaved rounds: each
// round runs every (command, variant) once, the variants of a command in
// rotating order (rtx, rtx-manager, mise; then rtx-manager, mise, rtx; …), so
// drift on the shared cores hits all alike. Wall time of posix_spawn + wait
// (output into a file), medians. Before timing, each command's output from
// rtx and rtx-manager is compared: they must be the same bytes.
//
//   rtx-bench-startup [--mise PATH] [--rounds R] [--dir DIR] [--rtx PATH]
//     --mise: without it, only rtx and rtx-manager are timed
//     --rtx: the front to time (default: rtx beside this binary); its
//       rtx-manager is the one beside it
#include <unistd.h>

#include <cctype>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <stdexcept>
#include <string>
#include <vector>

#include "bench/flags.hpp"
#include "bench/whole_process.hpp"

namespace {

using rtx::bench::median;
using rtx::bench::now_ms;
using rtx::bench::run_process;

struct StartupOptions {
  std::string mise;
  std::string dir = "/tmp/rtx-bench-startup";
  std::string rtx;
  int rounds = 41;
};

struct StartupCommand {
  std::string label;
  std::vector<std::string> args;  // after the program
  bool mise_has_it = true;
};

std::string startup_self_dir() {
  char buf[4096];
  ssize_t n = ::readlink("/proc/self/exe", buf, sizeof buf - 1);
  if (n <= 0) throw std::runtime_error("cannot read /proc/self/exe");
  return std::filesystem::path(std::string(buf, std::size_t(n))).parent_path().string();
}

// Runs one setup step; a failure ends the benchmark with its output.
void startup_step(const std::vector<std::string>& args, const std::vector<std::string>& env, const std::string& dir,
                  const std::string& cwd) {
  auto r = run_process(args, env, dir + "/setup.log", cwd);
  if (r.status != 0) throw std::runtime_error(args[0] + " " + args[1] + " failed:\n" + r.output);
}

}  // namespace

int main(int argc, char** argv) try {
  StartupOptions o;
  rtx::bench::parse_flags(argc, argv, "bench/startup_bench.cpp", [&](const std::string& name, const std::string& v) {
    if (name == "--mise")
      o.mise = v;
    else if (name == "--rounds")
      o.rounds = std::stoi(v);
    else if (name == "--dir")
      o.dir = v;
    else if (name == "--rtx")
      o.rtx = v;
    else
      return false;
    return true;
  });
  if (o.rtx.empty()) o.rtx = startup_self_dir() + "/rtx";
  const std::string manager = std::filesystem::path(o.rtx).parent_path().string() + "/rtx-manager";
  const std::string plugin = std::string(RTX_SOURCE_DIR) + "/examples/asdf-hello";

  std::vector<std::string> env = rtx::bench::fresh_roots_env(o.dir);
  for (const char* d : {"mise-data", "mise-cache", "mise-state", "mise-config", "project"})
    std::filesystem::create_directories(o.dir + "/" + d);
  for (const std::string d : {"DATA", "CACHE", "STATE", "CONFIG"}) {
    std::string lower = d;
    for (char& c : lower) c = char(std::tolower(c));
    env.push_back("MISE_" + d + "_DIR=" + o.dir + "/mise-" + lower);
  }
  const std::string project = o.dir + "/project";
  std::ofstream(project + "/rtx.toml") << "[tools]\nhello = \"1.0.0\"\n";
  std::ofstream(project + "/mise.toml") << "[tools]\nhello = \"1.0.0\"\n";
  startup_step({o.rtx, "plugins", "link", "hello", plugin}, env, o.dir, project);
  startup_step({o.rtx, "install"}, env, o.dir, project);
  if (!o.mise.empty()) {
    startup_step({o.mise, "plugins", "link", "hello", plugin}, env, o.dir, project);
    startup_step({o.mise, "install"}, env, o.dir, project);
  }

  const std::vector<StartupCommand> commands = {{"--version", {"--version"}},
                                                {"current", {"current"}},
                                                {"which hello", {"which", "hello"}},
                                                {"ls", {"ls"}},
                                                {"ps", {"ps"}, false}};
  std::vector<std::string> programs = {o.rtx, manager};
  if (!o.mise.empty()) programs.push_back(o.mise);
  const std::string log = o.dir + "/run.log";

  // The front and the manager must say the same bytes: the same code prints them.
  for (const auto& c : commands) {
    std::vector<std::string> a = {o.rtx}, b = {manager};
    a.insert(a.end(), c.args.begin(), c.args.end());
    b.insert(b.end(), c.args.begin(), c.args.end());
    auto ra = run_process(a, env, log, project), rb = run_process(b, env, log, project);
    if (ra.status != 0 || ra.status != rb.status || ra.output != rb.output)
      throw std::runtime_error("rtx " + c.label + " and rtx-manager " + c.label + " differ:\n" + ra.output + "---\n" +
                               rb.output);
  }

  // times[command][program]
  std::vector<std::vector<std::vector<double>>> times(commands.size(),
                                                      std::vector<std::vector<double>>(programs.size()));
  for (int round = 0; round < o.rounds; ++round)
    for (std::size_t c = 0; c < commands.size(); ++c)
      for (std::size_t k = 0; k < programs.size(); ++k) {
        std::size_t p = (k + std::size_t(round)) % programs.size();
        if (p == 2 && !commands[c].mise_has_it) continue;
        std::vector<std::string> args = {programs[p]};
        args.insert(args.end(), commands[c].args.begin(), commands[c].args.end());
        double t0 = now_ms();
        auto r = run_process(args, env, log, project);
        times[c][p].push_back(now_ms() - t0);
        if (r.status != 0) throw std::runtime_error(args[0] + " " + commands[c].label + " failed:\n" + r.output);
      }

  std::printf("%d interleaved rounds, medians, ms (project %s)\n\n", o.rounds, project.c_str());
  std::printf("%-19s %9s %12s %9s %10s %16s\n", "command", "rtx", "rtx-manager", "mise", "rtx/mise", "rtx/rtx-manager");
  for (std::size_t c = 0; c < commands.size(); ++c) {
    double front = median(times[c][0]), full = median(times[c][1]);
    std::string mise = "-", ratio = "-";
    if (programs.size() > 2 && commands[c].mise_has_it) {
      double m = median(times[c][2]);
      char buf[32];
      std::snprintf(buf, sizeof buf, "%.2f", m);
      mise = buf;
      std::snprintf(buf, sizeof buf, "%.3f", front / m);
      ratio = buf;
    }
    std::printf("%-19s %9.2f %12.2f %9s %10s %16.3f\n", ("rtx " + commands[c].label).c_str(), front, full, mise.c_str(),
                ratio.c_str(), front / full);
  }
  return 0;
} catch (const std::exception& e) {
  std::fprintf(stderr, "rtx-bench-startup: %s\n", e.what());
  return 1;
}
