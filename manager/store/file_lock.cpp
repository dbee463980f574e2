#include "manager/store/file_lock.hpp"

#include <fcntl.h>
#include <sys/file.h>
#include <unistd.h>

#include <signal.h>

#include <cerrno>

#include "manager/util/fs.hpp"
#include "manager/util/log.hpp"
#include "resolver/file_io.hpp"

namespace rtx::store {
namespace {

Expected<UniqueFd> open_lock_file(const std::string& path) {
  if (auto st = util::make_dirs(util::parent_dir(path)); !st) return Error{st.error()};
  UniqueFd fd(::open(path.c_str(), O_RDWR | O_CREAT | O_CLOEXEC, 0644));
  if (!fd.valid()) return make_error("cannot open lock " + path + ": " + util::errno_text() + ": check permissions");
  return fd;
}

int op_of(LockMode mode) { return mode == LockMode::Shared ? LOCK_SH : LOCK_EX; }

}  // namespace

Expected<FileLock> FileLock::acquire(const std::string& path, LockMode mode,
                                     void (*on_wait)(const std::string&, long)) {
  auto fd = open_lock_file(path);
  if (!fd) return Error{fd.error()};
  if (::flock(fd->get(), op_of(mode) | LOCK_NB) == 0) {
    util::log_trace("locked " + path);
    return FileLock(std::move(*fd));
  }
  if (errno != EWOULDBLOCK) return make_error("cannot lock " + path + ": " + util::errno_text());
  util::log_debug("waiting for the lock " + path + (mode == LockMode::Shared ? " (shared)" : ""));
  if (on_wait) {
    // The holder records its pid just after locking: give it a moment.
    long holder = 0;
    for (int i = 0; i < 10 && holder <= 0; ++i) {
      std::string text;
      resolver::read_file(path, text);
      holder = std::atol(text.c_str());
      if (holder > 0 && ::kill(pid_t(holder), 0) != 0 && errno == ESRCH) holder = 0;
      if (holder <= 0) ::usleep(5000);
    }
    on_wait(path, holder);
  }
  while (::flock(fd->get(), op_of(mode)) != 0) {
    if (errno != EINTR) return make_error("cannot lock " + path + ": " + util::errno_text());
  }
  util::log_debug("locked " + path + " after waiting");
  return FileLock(std::move(*fd));
}

Expected<FileLock> FileLock::try_acquire(const std::string& path, LockMode mode) {
  auto fd = open_lock_file(path);
  if (!fd) return Error{fd.error()};
  if (::flock(fd->get(), op_of(mode) | LOCK_NB) == 0) return FileLock(std::move(*fd));
  if (errno != EWOULDBLOCK) return make_error("cannot lock " + path + ": " + util::errno_text());
  return FileLock();
}

void FileLock::record_holder() {
  // Write first, then cut to length: a waiter never reads an empty file.
  std::string pid = std::to_string(::getpid()) + "\n";
  if (::pwrite(fd_.get(), pid.data(), pid.size(), 0) == ssize_t(pid.size())) {
    (void)!::ftruncate(fd_.get(), off_t(pid.size()));
    recorded_ = true;
  }
}

void FileLock::release() {
  if (recorded_ && fd_.valid()) (void)!::ftruncate(fd_.get(), 0);  // no stale pid for the next waiter
  recorded_ = false;
  fd_.reset();
}

}  // namespace rtx::store
