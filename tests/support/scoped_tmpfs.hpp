// A small tmpfs mounted for one test (a disk that fills up on purpose),
// unmounted in the destructor. Mounting needs root (CAP_SYS_ADMIN): when it is
// refused, error() says why and the test skips.
#pragma once

#include <sys/mount.h>

#include <cerrno>
#include <cstring>
#include <string>

namespace rtx::test {

class ScopedTmpfs {
 public:
  ScopedTmpfs(const std::string& dir, const std::string& size) : dir_(dir) {
    // mode=0755: a fresh tmpfs is 1777, which rtx refuses as a root (DESIGN.md §2).
    if (::mount("tmpfs", dir.c_str(), "tmpfs", MS_NOSUID | MS_NODEV, ("size=" + size + ",mode=0755").c_str()) == 0)
      mounted_ = true;
    else
      error_ = std::string("cannot mount a tmpfs on ") + dir + ": " + std::strerror(errno) +
               " (needs root or CAP_SYS_ADMIN)";
  }
  ~ScopedTmpfs() {
    if (mounted_ && ::umount2(dir_.c_str(), 0) != 0) ::umount2(dir_.c_str(), MNT_DETACH);
  }
  ScopedTmpfs(const ScopedTmpfs&) = delete;
  ScopedTmpfs& operator=(const ScopedTmpfs&) = delete;

  bool mounted() const { return mounted_; }
  const std::string& error() const { return error_; }

 private:
  std::string dir_;
  bool mounted_ = false;
  std::string error_;
};

}  // namespace rtx::test
