// Shim throughput during upgrades: invocations per second of a trivial tool
// through its shim, in alternating windows without and with `rtx upgrade`
// running in a loop (A B A B …, same run), plus the number of failed calls
// (which must be zero). Uses the real rtx and a real asdf plugin that installs
// the static trivial target as the tool.
//
//   rtx-bench-upgrade-throughput [--windows N] [--seconds S]
#include <fcntl.h>
#include <spawn.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include <algorithm>
#include <atomic>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <string>
#include <thread>
#include <vector>

extern char** environ;
namespace fs = std::filesystem;
using Clock = std::chrono::steady_clock;

namespace {

std::string self_dir() { return fs::read_symlink("/proc/self/exe").parent_path().string(); }

int run(const std::vector<std::string>& argv, const std::string& cwd = {}, bool quiet = true) {
  posix_spawn_file_actions_t fa;
  posix_spawn_file_actions_init(&fa);
  if (quiet) {
    posix_spawn_file_actions_addopen(&fa, 1, "/dev/null", O_WRONLY, 0);
    posix_spawn_file_actions_addopen(&fa, 2, "/dev/null", O_WRONLY, 0);
  }
  if (!cwd.empty()) posix_spawn_file_actions_addchdir_np(&fa, cwd.c_str());
  std::vector<char*> a;
  for (const auto& s : argv) a.push_back(const_cast<char*>(s.c_str()));
  a.push_back(nullptr);
  pid_t pid;
  int rc = posix_spawn(&pid, a[0], &fa, nullptr, a.data(), environ);
  posix_spawn_file_actions_destroy(&fa);
  if (rc != 0) return -1;
  int status = 0;
  waitpid(pid, &status, 0);
  return WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status);
}

void write_script(const std::string& path, const std::string& body) {
  std::ofstream(path) << "#!/usr/bin/env bash\nset -euo pipefail\n" << body << "\n";
  fs::permissions(path, fs::perms::owner_all | fs::perms::group_read | fs::perms::others_read);
}

double median(std::vector<double> v) {
  std::sort(v.begin(), v.end());
  return v.empty() ? 0 : v[v.size() / 2];
}

}  // namespace

int main(int argc, char** argv) {
  int windows = 6;
  double seconds = 2.0;
  for (int i = 1; i + 1 < argc; i += 2) {
    std::string a = argv[i];
    if (a == "--windows")
      windows = std::max(2, std::atoi(argv[i + 1]));
    else if (a == "--seconds")
      seconds = std::max(0.2, std::atof(argv[i + 1]));
  }
  const std::string bin = self_dir();
  char tmpl[] = "/tmp/rtx-bench-upgrade-XXXXXX";
  if (!mkdtemp(tmpl)) return 1;
  const std::string root = tmpl;
  for (const char* d : {"data", "config", "cache", "state", "home", "app", "plugin/bin"})
    fs::create_directories(root + "/" + d);
  setenv("RTX_DATA_DIR", (root + "/data").c_str(), 1);
  setenv("RTX_CONFIG_DIR", (root + "/config").c_str(), 1);
  setenv("RTX_CACHE_DIR", (root + "/cache").c_str(), 1);
  setenv("RTX_STATE_DIR", (root + "/state").c_str(), 1);
  setenv("HOME", (root + "/home").c_str(), 1);
  std::ofstream(root + "/config/config.toml") << "[settings]\nkeep_previous = 0\n";

  // The plugin: versions come from a file the upgrader bumps; install copies the trivial target.
  std::ofstream(root + "/versions") << "1.0.0\n";
  write_script(root + "/plugin/bin/list-all", "cat " + root + "/versions | tr '\\n' ' '");
  write_script(root + "/plugin/bin/install",
               "mkdir -p \"$ASDF_INSTALL_PATH/bin\"; cp " + bin + "/rtx-bench-target \"$ASDF_INSTALL_PATH/bin/tiny\"");
  const std::string rtx = bin + "/rtx";
  if (run({rtx, "plugins", "link", "tiny", root + "/plugin"}) != 0 || run({rtx, "install", "tiny@1.0.0"}) != 0) {
    std::fprintf(stderr, "setup failed (rtx at %s)\n", rtx.c_str());
    return 1;
  }
  std::ofstream(root + "/app/.tool-versions") << "tiny 1\n";
  const std::string shim = root + "/data/shims/tiny";

  std::atomic<bool> upgrading{false}, done{false};
  std::atomic<int> upgrades{0}, upgrade_failures{0};
  std::thread upgrader([&] {
    int minor = 0;
    while (!done) {
      if (!upgrading) {
        std::this_thread::sleep_for(std::chrono::milliseconds(5));
        continue;
      }
      std::ofstream(root + "/versions", std::ios::app) << "1." << ++minor << ".0\n";
      (run({rtx, "upgrade"}, root + "/app") == 0 ? upgrades : upgrade_failures)++;
    }
  });

  std::vector<double> quiet_rate, busy_rate;
  long failures = 0, calls = 0;
  for (int w = 0; w < windows; ++w) {
    bool busy = w % 2 == 1;
    upgrading = busy;
    long n = 0;
    auto end = Clock::now() + std::chrono::duration<double>(seconds);
    auto start = Clock::now();
    while (Clock::now() < end) {
      if (run({shim}, root + "/app") != 0) ++failures;
      ++n;
    }
    double rate = n / std::chrono::duration<double>(Clock::now() - start).count();
    (busy ? busy_rate : quiet_rate).push_back(rate);
    calls += n;
    upgrading = false;
    std::this_thread::sleep_for(std::chrono::milliseconds(200));  // let the last upgrade finish
  }
  done = true;
  upgrader.join();

  double q = median(quiet_rate), b = median(busy_rate);
  std::printf("shim invocations/s, no upgrade:      %.0f (median of %zu windows of %.1f s)\n", q, quiet_rate.size(),
              seconds);
  std::printf("shim invocations/s, during upgrades: %.0f (%d upgrades committed, %d failed)\n", b, upgrades.load(),
              upgrade_failures.load());
  std::printf("ratio during/without: %.2f; failed shim calls: %ld of %ld\n", q > 0 ? b / q : 0, failures, calls);
  std::printf("RESULT shim_calls_per_s=%.0f shim_calls_per_s_upgrading=%.0f ratio=%.2f upgrades=%d failed_calls=%ld\n",
              q, b, q > 0 ? b / q : 0, upgrades.load(), failures);
  std::error_code ec;
  fs::remove_all(root, ec);
  return failures == 0 ? 0 : 1;
}
