#include "manager/store/atomic_file.hpp"

#include <fcntl.h>
#include <unistd.h>

#include <atomic>
#include <cerrno>

#include "manager/util/fs.hpp"

namespace rtx::store {
namespace {

std::string temp_name(const std::string& path) {
  static std::atomic<unsigned> counter{0};
  std::string dir = util::parent_dir(path);
  std::string base = path.substr(dir.size() + 1);
  return dir + "/.tmp." + base + "." + std::to_string(::getpid()) + "." + std::to_string(counter++);
}

}  // namespace

Status write_file_atomic(const std::string& path, std::string_view content, int mode) {
  std::string tmp = temp_name(path);
  int fd = ::open(tmp.c_str(), O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, mode);
  if (fd < 0)
    return make_error("cannot write " + path + ": " + util::errno_text() +
                      ": check that its folder exists and is writable");
  std::size_t done = 0;
  while (done < content.size()) {
    ssize_t n = ::write(fd, content.data() + done, content.size() - done);
    if (n < 0 && errno == EINTR) continue;
    if (n <= 0) {
      std::string why = util::errno_text();
      ::close(fd);
      ::unlink(tmp.c_str());
      return make_error("cannot write " + path + ": " + why + ": free some disk space");
    }
    done += std::size_t(n);
  }
  if (::fsync(fd) != 0 || ::close(fd) != 0) {
    ::unlink(tmp.c_str());
    return make_error("cannot write " + path + ": " + util::errno_text() + ": free some disk space");
  }
  if (::rename(tmp.c_str(), path.c_str()) != 0) {
    std::string why = util::errno_text();
    ::unlink(tmp.c_str());
    return make_error("cannot replace " + path + ": " + why);
  }
  util::fsync_dir(util::parent_dir(path));
  return ok_status();
}

Status replace_symlink(const std::string& link, const std::string& target) {
  std::string tmp = temp_name(link);
  if (::symlink(target.c_str(), tmp.c_str()) != 0)
    return make_error("cannot create link " + tmp + ": " + util::errno_text() + ": check permissions");
  if (::rename(tmp.c_str(), link.c_str()) != 0) {
    std::string why = util::errno_text();
    ::unlink(tmp.c_str());
    return make_error("cannot replace " + link + ": " + why);
  }
  util::fsync_dir(util::parent_dir(link));
  return ok_status();
}

}  // namespace rtx::store
