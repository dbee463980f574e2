#include "bench/shim_runner.hpp"

#include <fcntl.h>
#include <spawn.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include <cerrno>
#include <cstdio>
#include <cstring>
#include <filesystem>
#include <stdexcept>

namespace rtx::bench {

volatile sig_atomic_t g_stop = 0;

namespace {
void shim_runner_on_signal(int) { g_stop = 1; }

[[noreturn]] void shim_runner_die(const std::string& msg) { throw std::runtime_error(msg); }
}  // namespace

const char* launch_name(Launch how) { return how == Launch::ForkExec ? "fork + execve" : "posix_spawn"; }

void install_stop_handlers() {
  struct sigaction sa {};
  sa.sa_handler = shim_runner_on_signal;
  ::sigaction(SIGINT, &sa, nullptr);
  ::sigaction(SIGTERM, &sa, nullptr);
}

double now_us() {
  timespec ts;
  ::clock_gettime(CLOCK_MONOTONIC, &ts);
  return double(ts.tv_sec) * 1e6 + double(ts.tv_nsec) / 1e3;
}

int launch_wait(Launch how, char** argv, char** envp, rusage& ru) {
  pid_t pid;
  if (how == Launch::PosixSpawn) {
    if (int err = ::posix_spawn(&pid, argv[0], nullptr, nullptr, argv, envp); err != 0)
      shim_runner_die(std::string("posix_spawn ") + argv[0] + ": " + std::strerror(err));
  } else {
    pid = ::fork();
    if (pid < 0) shim_runner_die(std::string("fork: ") + std::strerror(errno));
    if (pid == 0) {
      ::execve(argv[0], argv, envp);
      ::_exit(127);
    }
  }
  int status = 0;
  while (::wait4(pid, &status, 0, &ru) < 0)
    if (errno != EINTR) shim_runner_die("wait4: " + std::string(std::strerror(errno)));
  return WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status);
}

void probe_rss(const std::string& probe, char** argv, char** envp, long& rss_kib, long& floor_kib) {
  int fds[2];
  if (::pipe2(fds, O_CLOEXEC) != 0) shim_runner_die("pipe2");
  posix_spawn_file_actions_t fa;
  ::posix_spawn_file_actions_init(&fa);
  ::posix_spawn_file_actions_adddup2(&fa, fds[1], STDOUT_FILENO);
  std::vector<std::string> args{probe};
  for (char** a = argv; *a; ++a) args.emplace_back(*a);
  Argv pargv(std::move(args));
  pid_t pid;
  if (int err = ::posix_spawn(&pid, probe.c_str(), &fa, nullptr, pargv.get(), envp); err != 0)
    shim_runner_die("posix_spawn probe: " + std::string(std::strerror(err)));
  ::close(fds[1]);
  char buf[256] = {};
  ssize_t n = 0, got = 0;
  while ((n = ::read(fds[0], buf + got, sizeof buf - 1 - std::size_t(got))) > 0) got += n;
  ::close(fds[0]);
  ::posix_spawn_file_actions_destroy(&fa);
  int status = 0;
  ::waitpid(pid, &status, 0);
  int child_status = -1;
  if (std::sscanf(buf, "maxrss_kib=%ld status=%d floor_kib=%ld", &rss_kib, &child_status, &floor_kib) != 3 ||
      child_status != 0)
    shim_runner_die(std::string("probe of ") + argv[0] + " failed: '" + buf + "'");
}

double percentile_of(std::vector<double> v, double p) {
  if (v.empty()) return 0;
  std::sort(v.begin(), v.end());
  return v[std::size_t(p * double(v.size() - 1))];
}

std::string self_dir() { return std::filesystem::read_symlink("/proc/self/exe").parent_path().string(); }

std::string beside_self(const char* name) {
  std::string p = self_dir() + "/" + name;
  if (::access(p.c_str(), X_OK) != 0)
    shim_runner_die(p + " is missing: build it (cmake --build … --target " + name + ")");
  return p;
}

}  // namespace rtx::bench
