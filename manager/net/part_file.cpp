#include "manager/net/part_file.hpp"

#include <fcntl.h>
#include <sys/file.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>

#include "manager/util/fs.hpp"
#include "manager/util/log.hpp"
#include "manager/util/process_runner.hpp"

namespace rtx::net {

PartFile::PartFile(std::string final_path, UniqueFd fd, std::uint64_t size)
    : final_path_(std::move(final_path)), path_(final_path_ + ".part"), fd_(std::move(fd)), size_(size) {}

Expected<PartFile> PartFile::open_locked(const std::string& final_path, int notice_fd) {
  std::string path = final_path + ".part";
  // Locking a file that another process may rename or delete: after the lock
  // is ours, the name must still lead to the inode we locked, else it was
  // committed or discarded meanwhile and we start over with the current one.
  bool said_waiting = false;
  for (int missing_folder = 0;;) {
    UniqueFd fd(::open(path.c_str(), O_RDWR | O_CREAT | O_CLOEXEC, 0644));
    if (!fd.valid() && errno == ENOENT && ++missing_folder <= 3) {
      // A peer whose download failed removes the cache entry's folder when it
      // looks empty, which it can between our make_dirs and this open: make
      // it again (a folder that keeps vanishing is someone else's doing).
      if (Status made = util::make_dirs(util::parent_dir(path)); !made) return Error{made.error()};
      continue;
    }
    if (!fd.valid())
      return make_error("cannot write " + path + ": " + util::errno_text() +
                        ": check that its folder exists and is writable");
    if (::flock(fd.get(), LOCK_EX | LOCK_NB) != 0) {
      if (errno != EWOULDBLOCK) return make_error("cannot lock " + path + ": " + util::errno_text());
      if (!said_waiting && notice_fd >= 0 && util::log_enabled(util::LogLevel::info)) {
        std::string line = "rtx: waiting for another rtx that is downloading " + final_path + "\n";
        (void)!::write(notice_fd, line.data(), line.size());
        said_waiting = true;
      }
      // Blocks until the holder ends, however it ends (the kernel drops the
      // lock of a killed process). Ctrl-C interrupts the wait: the handler
      // has no SA_RESTART, so flock returns EINTR and we stop here.
      int rc;
      while ((rc = ::flock(fd.get(), LOCK_EX)) != 0 && errno == EINTR) {
        if (util::interrupted())
          return make_error("interrupted while waiting for another rtx that is downloading " + final_path);
      }
      if (rc != 0) return make_error("cannot lock " + path + ": " + util::errno_text());
    }
    struct stat locked {
    }, named{};
    if (::fstat(fd.get(), &locked) != 0) return make_error("cannot stat " + path + ": " + util::errno_text());
    if (::stat(path.c_str(), &named) != 0 || named.st_ino != locked.st_ino || named.st_dev != locked.st_dev) continue;
    if (::lseek(fd.get(), 0, SEEK_END) < 0) return make_error("cannot seek in " + path + ": " + util::errno_text());
    return PartFile(final_path, std::move(fd), std::uint64_t(locked.st_size));
  }
}

Status PartFile::append(const char* data, std::size_t size) {
  while (size > 0) {
    ssize_t n = ::write(fd_.get(), data, size);
    if (n < 0 && errno == EINTR) continue;
    if (n <= 0)
      return make_error("cannot write " + path_ + ": " + (n < 0 ? util::errno_text() : "no space written") +
                        ": free some disk space");
    data += n;
    size -= std::size_t(n);
    size_ += std::uint64_t(n);
  }
  return ok_status();
}

Status PartFile::truncate() {
  if (::ftruncate(fd_.get(), 0) != 0 || ::lseek(fd_.get(), 0, SEEK_SET) < 0)
    return make_error("cannot truncate " + path_ + ": " + util::errno_text() + ": delete it and try again");
  size_ = 0;
  return ok_status();
}

// No fsync: every use of a downloaded file is checked against its hash (the
// cache re-hashes each hit), so a file torn by a power cut is fetched again,
// never used; forcing 100 MiB to disk would cost more than the transfer.
Status PartFile::commit() {
  if (::rename(path_.c_str(), final_path_.c_str()) != 0)
    return make_error("cannot rename " + path_ + " to " + final_path_ + ": " + util::errno_text() +
                      ": check the folder's permissions");
  return ok_status();
}

void PartFile::discard() {
  // Unlinked while still locked: a waiter then sees the name gone (or a new
  // inode) and starts over, never writing into this one.
  ::unlink(path_.c_str());
  size_ = 0;
}

}  // namespace rtx::net
