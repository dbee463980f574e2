// flock(2) locks on files under locks/ (DESIGN.md §2). RAII: the lock goes
// with the fd, and the kernel drops it whatever way the process dies.
#pragma once

#include <string>
#include <utility>

#include "resolver/expected.hpp"
#include "resolver/unique_fd.hpp"

namespace rtx::store {

enum class LockMode { Shared, Exclusive };

class FileLock {
 public:
  FileLock() = default;
  // Blocking. If another process holds it, `on_wait(holder_pid)` is called once
  // first (holder_pid from the lock file, 0 when unknown).
  static Expected<FileLock> acquire(const std::string& path, LockMode mode,
                                    void (*on_wait)(const std::string& path, long holder) = nullptr);
  // Non-blocking; an invalid lock when busy.
  static Expected<FileLock> try_acquire(const std::string& path, LockMode mode);

  FileLock(FileLock&& o) noexcept : fd_(std::move(o.fd_)), recorded_(std::exchange(o.recorded_, false)) {}
  FileLock& operator=(FileLock&& o) noexcept {
    if (this != &o) {
      release();
      fd_ = std::move(o.fd_);
      recorded_ = std::exchange(o.recorded_, false);
    }
    return *this;
  }
  ~FileLock() { release(); }

  bool held() const { return fd_.valid(); }
  void release();
  // Records our pid in the lock file, so waiters can say for whom they wait.
  void record_holder();

 private:
  explicit FileLock(UniqueFd fd) : fd_(std::move(fd)) {}
  UniqueFd fd_;
  bool recorded_ = false;
};

}  // namespace rtx::store
