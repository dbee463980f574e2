// Running plugin scripts and other child processes (Boost.Process v2), each in
// its own process group so a timeout or Ctrl-C ends the whole tree.
#pragma once

#include <chrono>
#include <string>
#include <utility>
#include <vector>

namespace rtx::util {

struct RunSpec {
  std::vector<std::string> argv;                         // argv[0]: the executable's path
  std::vector<std::pair<std::string, std::string>> env;  // set on top of this process's environment
  std::string cwd;                                       // empty: inherit
  std::chrono::milliseconds timeout{0};                  // 0: none
  bool capture_stdout = false;                           // else streamed to the user
  bool stdout_to_stderr = false;                         // stream the child's stdout to our stderr
};

struct RunResult {
  int exit_code = -1;
  bool timed_out = false;
  bool interrupted = false;  // Ctrl-C / SIGTERM reached rtx while it ran
  std::string out;           // captured stdout
  std::string spawn_error;   // could not start at all

  bool ok() const { return spawn_error.empty() && !timed_out && !interrupted && exit_code == 0; }
  // "exited with status 3", "timed out after 30s", …
  std::string describe(std::chrono::milliseconds timeout) const;
};

RunResult run_process(const RunSpec& spec);

// Starts a process that outlives us: own session (no terminal, survives its
// closing), stdio on /dev/null, not waited for. Returns false if it did not start.
bool spawn_detached(const std::vector<std::string>& argv);

// Installs SIGINT/SIGTERM/SIGHUP handlers that only record the signal: the
// running child's group is stopped and the caller cleans up (no BUILDING left).
void install_interrupt_handlers();
bool interrupted();

}  // namespace rtx::util
