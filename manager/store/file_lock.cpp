#include "manager/store/file_lock.hpp"

#include <fcntl.h>
#include <sys/file.h>
#include <unistd.h>

#include <cerrno>

#include "manager/util/fs.hpp"
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
  if (::flock(fd->get(), op_of(mode) | LOCK_NB) == 0) return FileLock(std::move(*fd));
  if (errno != EWOULDBLOCK) return make_error("cannot lock " + path + ": " + util::errno_text());
  if (on_wait) {
    std::string text;
    resolver::read_file(path, text);
    on_wait(path, std::atol(text.c_str()));
  }
  while (::flock(fd->get(), op_of(mode)) != 0) {
    if (errno != EINTR) return make_error("cannot lock " + path + ": " + util::errno_text());
  }
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
  std::string pid = std::to_string(::getpid()) + "\n";
  if (::ftruncate(fd_.get(), 0) == 0) (void)!::pwrite(fd_.get(), pid.data(), pid.size(), 0);
}

}  // namespace rtx::store
