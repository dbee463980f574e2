// A forked child for the tests that need a second process (flock conflicts,
// lease holders, concurrent installers). The child reports readiness through a
// pipe, never through sleeps; the destructor kills and reaps it whatever happens.
#pragma once

#include <poll.h>
#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cerrno>
#include <chrono>
#include <cstdio>
#include <optional>
#include <stdexcept>
#include <string>
#include <thread>

namespace rtx::test {

// In the child: tell the parent we are ready (one byte on the pipe).
inline void signal_ready(int ready_fd) {
  char c = 'R';
  while (::write(ready_fd, &c, 1) < 0 && errno == EINTR) {
  }
}

// In the child: stay alive until the parent kills us.
[[noreturn]] inline void sleep_forever() {
  for (;;) ::pause();
}

class ForkedChild {
 public:
  // `body(ready_fd)` runs in the child; its return value is the exit status.
  template <typename Body>
  explicit ForkedChild(Body&& body) {
    int fds[2];
    if (::pipe(fds) != 0) throw std::runtime_error("pipe failed");
    std::fflush(nullptr);  // no buffered output written twice
    pid_ = ::fork();
    if (pid_ < 0) throw std::runtime_error("fork failed");
    if (pid_ == 0) {
      ::close(fds[0]);
      int code = 99;
      try {
        code = body(fds[1]);
      } catch (...) {
        code = 98;
      }
      ::_exit(code);
    }
    ::close(fds[1]);
    ready_fd_ = fds[0];
  }
  ~ForkedChild() {
    if (ready_fd_ >= 0) ::close(ready_fd_);
    if (!reaped_) {
      ::kill(pid_, SIGKILL);
      ::waitpid(pid_, nullptr, 0);
    }
  }
  ForkedChild(const ForkedChild&) = delete;
  ForkedChild& operator=(const ForkedChild&) = delete;

  pid_t pid() const { return pid_; }

  // True once the child called signal_ready(); false on timeout or if it died first.
  bool wait_ready(std::chrono::milliseconds timeout = std::chrono::seconds(10)) {
    pollfd p{ready_fd_, POLLIN, 0};
    int n;
    while ((n = ::poll(&p, 1, int(timeout.count()))) < 0 && errno == EINTR) {
    }
    if (n <= 0) return false;
    char c;
    return ::read(ready_fd_, &c, 1) == 1;
  }

  // The exit status (128+signal when killed), or nothing if it is still running
  // after `timeout`.
  std::optional<int> wait_exit(std::chrono::milliseconds timeout = std::chrono::seconds(20)) {
    if (reaped_) return status_;
    auto end = std::chrono::steady_clock::now() + timeout;
    for (;;) {
      int st = 0;
      pid_t r = ::waitpid(pid_, &st, WNOHANG);
      if (r == pid_) {
        reaped_ = true;
        status_ = WIFEXITED(st) ? WEXITSTATUS(st) : 128 + WTERMSIG(st);
        return status_;
      }
      if (std::chrono::steady_clock::now() >= end) return std::nullopt;
      std::this_thread::sleep_for(std::chrono::milliseconds(5));
    }
  }

  void kill_and_reap() {
    if (reaped_) return;
    ::kill(pid_, SIGKILL);
    wait_exit();
  }

 private:
  pid_t pid_ = -1;
  int ready_fd_ = -1;
  bool reaped_ = false;
  int status_ = -1;
};

// True once `pid` no longer runs: gone, or a zombie nobody has reaped yet
// (an orphan's reaper in a container may be slow or absent).
inline bool process_gone(pid_t pid) {
  if (::kill(pid, 0) != 0 && errno == ESRCH) return true;
  FILE* f = std::fopen(("/proc/" + std::to_string(pid) + "/stat").c_str(), "r");
  if (!f) return true;
  char buf[512] = {};
  std::size_t n = std::fread(buf, 1, sizeof buf - 1, f);
  std::fclose(f);
  std::string stat(buf, n);
  auto paren = stat.rfind(')');
  if (paren == std::string::npos || paren + 2 >= stat.size()) return true;
  char state = stat[paren + 2];
  return state == 'Z' || state == 'X';
}

// Polls (bounded) until `pid` is gone.
inline bool wait_gone(pid_t pid, std::chrono::milliseconds timeout = std::chrono::seconds(5)) {
  auto end = std::chrono::steady_clock::now() + timeout;
  while (!process_gone(pid)) {
    if (std::chrono::steady_clock::now() >= end) return false;
    std::this_thread::sleep_for(std::chrono::milliseconds(10));
  }
  return true;
}

}  // namespace rtx::test
