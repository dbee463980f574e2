// Live lease holders for the benchmarks: forked children that each open a
// build's `.lease` O_RDONLY, take flock(LOCK_SH) as a shim does (DESIGN.md §5)
// and block in read() on a pipe whose only write end is the parent's. They die
// when the pipe closes (the bench ends or dies: PR_SET_PDEATHSIG too), and
// the destructor kills and reaps them. Bench-only code: it throws.
#pragma once

#include <fcntl.h>
#include <signal.h>
#include <sys/file.h>
#include <sys/prctl.h>
#include <sys/resource.h>
#include <sys/wait.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <cstdio>
#include <cstring>
#include <stdexcept>
#include <string>
#include <vector>

namespace rtx::bench {

class LeaseHolders {
 public:
  LeaseHolders() = default;
  // n children; child i holds leases[i % leases.size()]. `stop` (a signal
  // flag) ends the forking early.
  void start(const std::vector<std::string>& leases, int n, const volatile sig_atomic_t* stop = nullptr) {
    int hold[2], ready[2];
    if (::pipe2(hold, O_CLOEXEC) != 0 || ::pipe2(ready, O_CLOEXEC) != 0)
      throw std::runtime_error("pipe2: " + std::string(std::strerror(errno)));
    hold_w_ = hold[1];
    std::fflush(nullptr);
    int ok = 0, bad = 0;
    // Reads the ready bytes until `want` children have answered.
    auto await = [&](int want) {
      char buf[256];
      while (ok + bad < want) {
        ssize_t got = ::read(ready[0], buf, sizeof buf);
        if (got < 0 && errno == EINTR && !(stop && *stop)) continue;
        if (got <= 0) return;
        for (ssize_t k = 0; k < got; ++k) (buf[k] == 'R' ? ok : bad)++;
      }
    };
    for (int i = 0; i < n && !(stop && *stop); ++i) {
      // Batches of 64: thousands of just-forked children all runnable at once
      // left the forking parent a sliver of the CPU (10,000 took 100 s).
      if (i % 64 == 0) await(i);
      const std::string& lease = leases[std::size_t(i) % leases.size()];
      pid_t pid = ::fork();
      if (pid < 0) {
        ::close(hold[0]);
        ::close(ready[0]);
        ::close(ready[1]);
        throw std::runtime_error("fork of holder " + std::to_string(i + 1) + " of " + std::to_string(n) + ": " +
                                 std::strerror(errno) + ": raise `ulimit -u` or ask for fewer holders");
      }
      if (pid == 0) {  // the holder: syscalls only
        ::close(hold[1]);
        ::close(ready[0]);
        ::prctl(PR_SET_PDEATHSIG, SIGKILL);
        int fd = ::open(lease.c_str(), O_RDONLY);
        char c = fd >= 0 && ::flock(fd, LOCK_SH) == 0 ? 'R' : 'E';
        (void)!::write(ready[1], &c, 1);
        while (::read(hold[0], &c, 1) < 0 && errno == EINTR) {
        }
        ::_exit(0);
      }
      pids_.push_back(pid);
    }
    ::close(hold[0]);
    ::close(ready[1]);
    await(int(pids_.size()));
    ::close(ready[0]);
    if (ok != n) throw std::runtime_error(std::to_string(ok) + " of " + std::to_string(n) + " holders took the lease");
  }
  ~LeaseHolders() { stop(); }
  void stop() {
    if (hold_w_ >= 0) ::close(hold_w_);  // every holder's read() returns 0
    hold_w_ = -1;
    for (pid_t p : pids_) ::kill(p, SIGKILL);
    for (pid_t p : pids_)
      while (::waitpid(p, nullptr, 0) < 0 && errno == EINTR) {
      }
    pids_.clear();
  }
  LeaseHolders(const LeaseHolders&) = delete;
  LeaseHolders& operator=(const LeaseHolders&) = delete;

 private:
  int hold_w_ = -1;
  std::vector<pid_t> pids_;
};

// Raises a soft limit (RLIMIT_NPROC for the forks) to `want` when the hard one allows.
inline void raise_soft_limit(int resource, const char* name, rlim_t want) {
  rlimit rl{};
  if (::getrlimit(resource, &rl) != 0 || rl.rlim_cur == RLIM_INFINITY || rl.rlim_cur >= want) return;
  rlim_t before = rl.rlim_cur;
  rl.rlim_cur = rl.rlim_max == RLIM_INFINITY ? want : std::min(want, rl.rlim_max);
  if (::setrlimit(resource, &rl) != 0 || rl.rlim_cur < want)
    std::printf("note: %s is %llu (hard %llu), below the %llu wanted: forks may fail\n", name,
                (unsigned long long)before, (unsigned long long)rl.rlim_max, (unsigned long long)want);
}

}  // namespace rtx::bench
