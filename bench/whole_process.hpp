// What the whole-process benchmarks share: a monotonic clock in ms, medians,
// and one run of a program with exactly the given environment, its stdout and
// stderr into a log file (not a terminal: rtx prints one summary line per
// download, as in CI).
#pragma once

#include <fcntl.h>
#include <spawn.h>
#include <sys/wait.h>
#include <time.h>

#include <algorithm>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <stdexcept>
#include <string>
#include <vector>

namespace rtx::bench {

inline double now_ms() {
  timespec ts;
  ::clock_gettime(CLOCK_MONOTONIC, &ts);
  return double(ts.tv_sec) * 1e3 + double(ts.tv_nsec) / 1e6;
}

inline double median(std::vector<double> v) {
  std::sort(v.begin(), v.end());
  return v.size() % 2 ? v[v.size() / 2] : (v[v.size() / 2 - 1] + v[v.size() / 2]) / 2;
}

// Empty roots under `root` (made afresh) and the environment that points rtx
// at them, nothing else of this machine's: HOME, RTX_*_DIR, no auto-install,
// PATH with the shims first.
inline std::vector<std::string> fresh_roots_env(const std::string& root) {
  std::filesystem::remove_all(root);
  for (const char* d : {"data", "cache", "state", "config", "home"})
    std::filesystem::create_directories(root + "/" + d);
  return {"HOME=" + root + "/home",
          "RTX_DATA_DIR=" + root + "/data",
          "RTX_CACHE_DIR=" + root + "/cache",
          "RTX_STATE_DIR=" + root + "/state",
          "RTX_CONFIG_DIR=" + root + "/config",
          "RTX_AUTO_INSTALL=0",
          "PATH=" + root + "/data/shims:/usr/local/bin:/usr/bin:/bin"};
}

struct ProcessRun {
  int status = -1;     // exit status, 128 when killed
  std::string output;  // stdout and stderr
};

// Runs argv (argv[0] a path) in `cwd` ("" for this one) with exactly `env`.
inline ProcessRun run_process(const std::vector<std::string>& args, const std::vector<std::string>& env,
                              const std::string& log, const std::string& cwd = {}) {
  std::vector<char*> argv, envp;
  for (const auto& s : args) argv.push_back(const_cast<char*>(s.c_str()));
  argv.push_back(nullptr);
  for (const auto& s : env) envp.push_back(const_cast<char*>(s.c_str()));
  envp.push_back(nullptr);
  posix_spawn_file_actions_t fa;
  posix_spawn_file_actions_init(&fa);
  if (!cwd.empty()) posix_spawn_file_actions_addchdir_np(&fa, cwd.c_str());
  posix_spawn_file_actions_addopen(&fa, 0, "/dev/null", O_RDONLY, 0);
  posix_spawn_file_actions_addopen(&fa, 1, log.c_str(), O_WRONLY | O_CREAT | O_TRUNC, 0644);
  posix_spawn_file_actions_adddup2(&fa, 1, 2);
  pid_t pid;
  int rc = posix_spawn(&pid, argv[0], &fa, nullptr, argv.data(), envp.data());
  posix_spawn_file_actions_destroy(&fa);
  if (rc != 0) throw std::runtime_error("cannot run " + args[0]);
  int raw = 0;
  ::waitpid(pid, &raw, 0);
  std::ifstream in(log, std::ios::binary);
  std::ostringstream text;
  text << in.rdbuf();
  return ProcessRun{WIFEXITED(raw) ? WEXITSTATUS(raw) : 128, text.str()};
}

}  // namespace rtx::bench
