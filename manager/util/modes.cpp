#include "manager/util/modes.hpp"

#include <dirent.h>
#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <vector>

#include "manager/util/fs.hpp"

namespace rtx::util {
namespace {

constexpr int kDirFlags = O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC;

bool needs_mask(mode_t mode) { return (mode & 07777) != kept_mode(mode); }

Error failure(const std::string& path, const char* what) {
  return make_error("cannot mask the modes of " + path + ": " + what + ": " + errno_text() +
                    ": check who owns it and its permissions");
}

// One directory being listed: its fd (owned by the DIR stream) and its path.
struct Level {
  DIR* dir;
  std::string path;
};

// The directory `fd` (already open, exactly the inode we mean) loses its bits
// first: from then on nobody but us can add, remove or swap its entries.
Status mask_open_dir(int fd, const std::string& path) {
  struct stat st;
  if (::fstat(fd, &st) != 0) return failure(path, "stat");
  if (needs_mask(st.st_mode) && ::fchmod(fd, kept_mode(st.st_mode)) != 0 && errno != EPERM)
    return failure(path, "chmod");  // EPERM: another owner's, which we cannot change (and they could write anyway)
  return ok_status();
}

// A non-directory in a directory already masked. Symlinks are never changed.
Status mask_entry(int dir_fd, const char* name, const struct stat& st, const std::string& path) {
  if (S_ISLNK(st.st_mode) || !needs_mask(st.st_mode)) return ok_status();
  if (::fchmodat(dir_fd, name, kept_mode(st.st_mode), AT_SYMLINK_NOFOLLOW) == 0) return ok_status();
  if (errno == EPERM) return ok_status();
  if (errno == EOPNOTSUPP) {
    // glibc without fchmodat2 and without /proc; or the name became a symlink
    // meanwhile (only our own processes can still change this directory).
    struct stat now;
    if (::fstatat(dir_fd, name, &now, AT_SYMLINK_NOFOLLOW) == 0 && S_ISLNK(now.st_mode)) return ok_status();
    if (::fchmodat(dir_fd, name, kept_mode(st.st_mode), 0) == 0) return ok_status();
  }
  return failure(path, "chmod");
}

void close_all(std::vector<Level>& stack) {
  for (auto& level : stack) ::closedir(level.dir);
  stack.clear();
}

}  // namespace

Status mask_tree_modes(const std::string& root) {
  int root_fd = ::open(root.c_str(), kDirFlags);
  if (root_fd < 0) return failure(root, "open");
  if (auto st = mask_open_dir(root_fd, root); !st) {
    ::close(root_fd);
    return st;
  }
  DIR* root_dir = ::fdopendir(root_fd);
  if (!root_dir) {
    ::close(root_fd);
    return failure(root, "list");
  }
  // Depth first, one open directory per level of the current path only.
  std::vector<Level> stack{{root_dir, root}};
  while (!stack.empty()) {
    Level& top = stack.back();
    errno = 0;
    dirent* e = ::readdir(top.dir);
    if (!e) {
      if (errno != 0) {
        Error err = failure(top.path, "list");
        close_all(stack);
        return err;
      }
      ::closedir(top.dir);
      stack.pop_back();
      continue;
    }
    if (std::strcmp(e->d_name, ".") == 0 || std::strcmp(e->d_name, "..") == 0) continue;
    int dir_fd = ::dirfd(top.dir);
    std::string path = top.path + "/" + e->d_name;
    struct stat st;
    if (::fstatat(dir_fd, e->d_name, &st, AT_SYMLINK_NOFOLLOW) != 0) {
      if (errno == ENOENT) continue;  // removed meanwhile (by the plugin's own processes)
      Error err = failure(path, "stat");
      close_all(stack);
      return err;
    }
    Status done = ok_status();
    if (S_ISDIR(st.st_mode)) {
      int fd = ::openat(dir_fd, e->d_name, kDirFlags);
      DIR* sub = nullptr;
      if (fd < 0) {
        done = failure(path, "open");
      } else if (done = mask_open_dir(fd, path); done && !(sub = ::fdopendir(fd))) {
        done = failure(path, "list");
      }
      if (sub) {
        stack.push_back({sub, std::move(path)});
      } else if (fd >= 0) {
        ::close(fd);
      }
    } else {
      done = mask_entry(dir_fd, e->d_name, st, path);
    }
    if (!done) {
      close_all(stack);
      return done;
    }
  }
  return ok_status();
}

}  // namespace rtx::util
