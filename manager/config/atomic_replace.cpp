#include "manager/config/atomic_replace.hpp"

#include <fcntl.h>
#include <unistd.h>

#include <atomic>
#include <cerrno>
#include <climits>
#include <cstdio>
#include <cstdlib>

#include "manager/store/atomic_file.hpp"
#include "manager/util/fs.hpp"
#include "resolver/unique_fd.hpp"

namespace rtx::config {
namespace {

std::string mode_text(mode_t mode) {
  char buf[8];
  std::snprintf(buf, sizeof buf, "%04o", unsigned(mode & 07777));
  return buf;
}

// "rtx.toml" or "rtx.toml (a link to /shared/rtx.toml)".
std::string describe(const FileToEdit& f) {
  return f.target == f.path ? f.path : f.path + " (a link to " + f.target + ")";
}

bool same_file(const struct stat& a, const struct stat& b) {
  return a.st_dev == b.st_dev && a.st_ino == b.st_ino && a.st_size == b.st_size &&
         a.st_mtim.tv_sec == b.st_mtim.tv_sec && a.st_mtim.tv_nsec == b.st_mtim.tv_nsec;
}

Status write_all(int fd, std::string_view text) {
  std::size_t done = 0;
  while (done < text.size()) {
    ssize_t n = ::write(fd, text.data() + done, text.size() - done);
    if (n < 0 && errno == EINTR) continue;
    if (n <= 0) return make_error(util::errno_text());
    done += std::size_t(n);
  }
  return ok_status();
}

// A temporary file beside `target`, removed unless released.
class TempFile {
 public:
  explicit TempFile(const std::string& target) {
    static std::atomic<unsigned> counter{0};
    std::string dir = util::parent_dir(target);
    path_ = dir + "/." + target.substr(dir.size() + 1) + ".rtx-edit." + std::to_string(::getpid()) + "." +
            std::to_string(counter++);
    fd_ = ::open(path_.c_str(), O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC | O_NOFOLLOW, 0600);
  }
  ~TempFile() {
    if (fd_ >= 0) ::close(fd_);
    if (!released_) ::unlink(path_.c_str());
  }
  TempFile(const TempFile&) = delete;
  TempFile& operator=(const TempFile&) = delete;

  int fd() const { return fd_; }
  const std::string& path() const { return path_; }
  bool close() {
    int fd = fd_;
    fd_ = -1;
    return ::close(fd) == 0;
  }
  void release() { released_ = true; }

 private:
  std::string path_;
  int fd_ = -1;
  bool released_ = false;
};

}  // namespace

Expected<FileToEdit> read_for_edit(const std::string& path, std::size_t max_bytes) {
  FileToEdit f;
  f.path = path;
  f.target = path;
  struct stat lst;
  if (::lstat(path.c_str(), &lst) != 0) {
    if (errno == ENOENT) return f;
    return make_error("cannot read " + path + ": " + util::errno_text());
  }
  if (S_ISLNK(lst.st_mode)) {
    char resolved[PATH_MAX];
    if (!::realpath(path.c_str(), resolved))
      return make_error("cannot edit " + path + ": it is a symlink whose target cannot be reached (" +
                        util::errno_text() + "): fix or remove the link");
    f.target = resolved;
  }
  UniqueFd fd(::open(f.target.c_str(), O_RDONLY | O_NONBLOCK | O_CLOEXEC));
  if (!fd.valid()) return make_error("cannot read " + describe(f) + ": " + util::errno_text());
  if (::fstat(fd.get(), &f.st) != 0) return make_error("cannot read " + describe(f) + ": " + util::errno_text());
  if (!S_ISREG(f.st.st_mode))
    return make_error("cannot edit " + describe(f) + ": it is not a regular file: replace it with one");
  if (std::size_t(f.st.st_size) > max_bytes)  // DESIGN.md §4 "Which files count": 1 MiB for a config
    return make_error("cannot edit " + describe(f) + ": it is larger than " + std::to_string(max_bytes >> 20) +
                      " MiB: " + (max_bytes > (1u << 20) ? "delete it and run rtx lock" : "a config file is smaller"));
  f.text.resize(std::size_t(f.st.st_size));
  std::size_t done = 0;
  while (done < f.text.size()) {
    ssize_t n = ::read(fd.get(), f.text.data() + done, f.text.size() - done);
    if (n < 0 && errno == EINTR) continue;
    if (n < 0) return make_error("cannot read " + describe(f) + ": " + util::errno_text());
    if (n == 0) break;
    done += std::size_t(n);
  }
  f.text.resize(done);
  f.exists = true;
  return f;
}

Status check_writable(const FileToEdit& f) {
  if (!f.exists) return ok_status();
  std::string fix = ": make it writable (chmod u+w " + f.target + ") to let rtx edit it; rtx left it unchanged";
  // Root passes access(W_OK) on any file: the mode bits are the user's word.
  if ((f.st.st_mode & 0222) == 0)
    return make_error("cannot edit " + describe(f) + ": it is read-only (mode " + mode_text(f.st.st_mode) + ")" + fix);
  if (::access(f.target.c_str(), W_OK) != 0)
    return make_error("cannot edit " + describe(f) + ": " + util::errno_text() + fix);
  return ok_status();
}

Status replace_contents(const FileToEdit& f, std::string_view text) {
  if (!f.exists) {
    if (auto st = util::make_dirs(util::parent_dir(f.target)); !st) return st;
    return store::write_file_atomic(f.target, text);
  }
  const std::string where = describe(f);
  TempFile tmp(f.target);
  if (tmp.fd() < 0)
    return make_error("cannot edit " + where + ": cannot create a file in " + util::parent_dir(f.target) + " (" +
                      util::errno_text() + "): rtx writes the new copy beside the file; make that folder writable");
  // Owner and group first: chown may clear set-id bits that fchmod then restores.
  if ((f.st.st_uid != ::geteuid() || f.st.st_gid != ::getegid()) && ::fchown(tmp.fd(), f.st.st_uid, f.st.st_gid) != 0)
    return make_error("cannot edit " + where + ": its owner and group (" + std::to_string(f.st.st_uid) + ":" +
                      std::to_string(f.st.st_gid) + ") cannot be kept (" + util::errno_text() +
                      "): edit it as its owner; rtx left it unchanged");
  if (::fchmod(tmp.fd(), f.st.st_mode & 07777) != 0)
    return make_error("cannot edit " + where + ": cannot keep its mode: " + util::errno_text());
  if (auto st = write_all(tmp.fd(), text); !st)
    return make_error("cannot write " + where + ": " + st.error() + ": free some disk space; rtx left it unchanged");
  if (::fsync(tmp.fd()) != 0 || !tmp.close())
    return make_error("cannot write " + where + ": " + util::errno_text() + ": free some disk space");

  // Someone else's write since we read it wins: never rename over it.
  struct stat now;
  if (::stat(f.target.c_str(), &now) != 0 || !same_file(now, f.st))
    return make_error("cannot edit " + where + ": it changed while rtx was editing it: run the command again");
  if (::rename(tmp.path().c_str(), f.target.c_str()) != 0)
    return make_error("cannot replace " + where + ": " + util::errno_text());
  tmp.release();
  util::fsync_dir(util::parent_dir(f.target));
  return ok_status();
}

}  // namespace rtx::config
