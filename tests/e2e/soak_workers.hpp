// The soak's users: processes that call shims in tight loops and judge every
// answer, and watchers that keep a pinned build busy for a second at a time.
// Each is a forked copy of the test process that loops until a stop file
// appears, then writes its tally to a file and leaves with _exit (never
// running the World's destructor, which belongs to the parent).
#pragma once

#include <time.h>
#include <unistd.h>

#include <cstdio>
#include <fstream>
#include <map>
#include <sstream>
#include <string>
#include <vector>

#include "harness.hpp"
#include "soak_store_audit.hpp"
#include "soak_tools.hpp"

namespace rtx::e2e::soak {

inline long monotonic_ms() {
  timespec ts{};
  ::clock_gettime(CLOCK_MONOTONIC, &ts);
  return long(ts.tv_sec) * 1000 + ts.tv_nsec / 1000000;
}

// A directory the users run in, and what its config asks for, per tool.
struct Project {
  std::string name, dir;
  std::map<std::string, std::vector<std::string>> requests;
};

struct Tally {
  long calls = 0;
  long failures = 0;       // a call failed while a READY build matching its request existed
  long unsatisfiable = 0;  // a call failed and no READY build matched before nor after it
  long wrong = 0;          // a version the config does not allow, a half-built one, or a nested call off its pin
  long watch_runs = 0;
  long reaped_while_pinned = 0;  // a watcher lost its own build's files
  std::vector<std::string> details;

  void note(const std::string& what) {
    if (details.size() < 12) details.push_back(what);
  }
  void add(const Tally& o) {
    calls += o.calls, failures += o.failures, unsatisfiable += o.unsatisfiable, wrong += o.wrong;
    watch_runs += o.watch_runs, reaped_while_pinned += o.reaped_while_pinned;
    for (const auto& d : o.details) note(d);
  }
  void save(const std::string& path) const {
    {
      std::ofstream out(path + ".tmp");
      out << calls << ' ' << failures << ' ' << unsatisfiable << ' ' << wrong << ' ' << watch_runs << ' '
          << reaped_while_pinned << '\n';
      for (const auto& d : details) out << d << '\n';
    }
    std::rename((path + ".tmp").c_str(), path.c_str());
  }
  static bool load(const std::string& path, Tally& t) {
    std::ifstream in(path);
    if (!(in >> t.calls >> t.failures >> t.unsatisfiable >> t.wrong >> t.watch_runs >> t.reaped_while_pinned))
      return false;
    std::string line;
    std::getline(in, line);
    while (std::getline(in, line)) t.details.push_back(line);
    return true;
  }
};

inline std::string first_line(const std::string& s) { return s.substr(0, s.find('\n')); }

// Judges `<tool> --run <shims>/<tool>`: exit 0, two identical greetings (the
// nested call kept its parent's pinned build, DESIGN.md §5) of a version the
// request allows, from a store prefix of that version.
enum class Verdict { Ok, Failed, Wrong };

inline Verdict judge_nested(const World& w, const std::string& tool, const std::vector<std::string>& specs,
                            const Output& o, std::string& why) {
  if (o.status != 0) {
    why = "exit " + std::to_string(o.status) + ": " + first_line(o.err) + " | out: " + first_line(o.out);
    return Verdict::Failed;
  }
  std::vector<std::string> lines;
  std::istringstream in(o.out);
  for (std::string l; std::getline(in, l);) lines.push_back(l);
  Greeting parent, child;
  if (lines.size() != 2 || !parse_greeting(lines[0], parent) || !parse_greeting(lines[1], child)) {
    why = "malformed output: " + o.out;
    return Verdict::Wrong;
  }
  if (parent.tool != tool || !any_spec_matches(specs, parent.version) ||
      parent.prefix.rfind(store_dir(w, tool) + "/" + parent.version + "-", 0) != 0) {
    why = "got " + lines[0];
    return Verdict::Wrong;
  }
  if (lines[1] != lines[0]) {
    why = "nested call left the pin: parent " + lines[0] + ", child " + lines[1];
    return Verdict::Wrong;
  }
  return Verdict::Ok;
}

// In the forked user: its own process group (killed whole if the test
// aborts), and nice 8 so the users soak up idle CPU while the manager's
// commands, whose timing the cycles depend on, still get the cores of a
// loaded 2-core machine first.
inline void become_background_user() {
  ::setpgid(0, 0);
  [[maybe_unused]] int niceness = ::nice(8);  // at worst the users run at normal priority
}

inline std::string stamp(long t0, const std::string& who, const std::string& tool) {
  return "t=" + std::to_string(monotonic_ms() - t0) + "ms " + who + " " + tool + ": ";
}

// Forks a user of `project`: calls each tool's shim in turn, nested, until
// `stop` exists; writes its tally to `tally_path`.
inline pid_t start_shim_loop(const World& w, const Project& project, const std::string& tally_path,
                             const std::string& stop, long t0) {
  pid_t pid = ::fork();
  if (pid != 0) return pid;
  become_background_user();
  Tally t;
  for (std::size_t i = 0; ::access(stop.c_str(), F_OK) != 0; ++i) {
    const std::string& tool = tool_names()[i % tool_names().size()];
    const auto& specs = project.requests.at(tool);
    try {
      bool before = satisfiable(w, tool, specs);
      Output o = w.shim(tool, {"--run", w.shims() + "/" + tool}, project.dir);
      ++t.calls;
      std::string why;
      switch (judge_nested(w, tool, specs, o, why)) {
        case Verdict::Ok:
          break;
        case Verdict::Wrong:
          ++t.wrong;
          t.note(stamp(t0, project.name, tool) + "WRONG " + why);
          break;
        case Verdict::Failed:
          if (before || satisfiable(w, tool, specs)) {
            ++t.failures;
            t.note(stamp(t0, project.name, tool) + "FAILED " + why);
          } else {
            ++t.unsatisfiable;
            t.note(stamp(t0, project.name, tool) + "UNSATISFIABLE (no READY match before or after) " + why);
          }
          break;
      }
    } catch (const std::exception& e) {  // fork/pipe trouble of the harness, not of rtx
      t.note(stamp(t0, project.name, tool) + "harness: " + e.what());
      ::usleep(10000);
    }
  }
  t.save(tally_path);
  ::_exit(0);
}

// Forks a watcher of `tool`: `<tool> --watch 1` through the shim, in each
// project in turn, until `stop` exists. The job re-reads its own prefix every
// 50 ms and exits 3 if the files vanish: its pin must keep the build (§5, §7).
inline pid_t start_watch_loop(const World& w, const std::string& tool, const std::vector<Project>& projects,
                              const std::string& tally_path, const std::string& stop, long t0) {
  pid_t pid = ::fork();
  if (pid != 0) return pid;
  become_background_user();
  Tally t;
  for (std::size_t i = 0; ::access(stop.c_str(), F_OK) != 0; ++i) {
    const Project& p = projects[i % projects.size()];
    const auto& specs = p.requests.at(tool);
    try {
      bool before = satisfiable(w, tool, specs);
      Output o = w.shim(tool, {"--watch", "1"}, p.dir);
      ++t.watch_runs;
      Greeting g;
      if (o.status == 3 && o.err.find("lost") != std::string::npos) {
        ++t.reaped_while_pinned;
        t.note(stamp(t0, "watch@" + p.name, tool) + "REAPED WHILE PINNED: " + first_line(o.err));
      } else if (o.status == 0 && !(parse_greeting(first_line(o.out), g) && any_spec_matches(specs, g.version))) {
        ++t.wrong;
        t.note(stamp(t0, "watch@" + p.name, tool) + "WRONG got " + first_line(o.out));
      } else if (o.status == 3) {
        ++t.wrong;
        t.note(stamp(t0, "watch@" + p.name, tool) + "WRONG ran a build without its files: " + first_line(o.err));
      } else if (o.status != 0) {
        bool counted = before || satisfiable(w, tool, specs);
        ++(counted ? t.failures : t.unsatisfiable);
        t.note(stamp(t0, "watch@" + p.name, tool) + (counted ? "FAILED exit " : "UNSATISFIABLE exit ") +
               std::to_string(o.status) + ": " + first_line(o.err));
      }
    } catch (const std::exception& e) {
      t.note(stamp(t0, "watch@" + p.name, tool) + "harness: " + e.what());
      ::usleep(10000);
    }
  }
  t.save(tally_path);
  ::_exit(0);
}

}  // namespace rtx::e2e::soak
