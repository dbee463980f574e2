// Small POSIX helpers for building fixtures: directories, files, links, modes.
// They throw on failure so a broken fixture never passes as a broken resolver.
#pragma once

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <stdexcept>
#include <string>
#include <string_view>

namespace rtx::test {

inline void fail(const std::string& what, const std::string& path) {
  throw std::runtime_error(what + " " + path + ": errno " + std::to_string(errno));
}

// mkdir -p
inline void make_dirs(const std::string& path) {
  for (std::size_t i = 1; i <= path.size(); ++i) {
    if (i != path.size() && path[i] != '/') continue;
    std::string part = path.substr(0, i);
    if (::mkdir(part.c_str(), 0755) != 0 && errno != EEXIST) fail("mkdir", part);
  }
}

inline std::string parent_of(const std::string& path) { return path.substr(0, path.rfind('/')); }

// Writes the file (creating its parent directories), replacing any previous content.
inline void write_file(const std::string& path, std::string_view text, mode_t mode = 0644) {
  make_dirs(parent_of(path));
  int fd = ::open(path.c_str(), O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, mode);
  if (fd < 0) fail("open", path);
  if (::write(fd, text.data(), text.size()) != ssize_t(text.size())) fail("write", path);
  ::close(fd);
  if (::chmod(path.c_str(), mode) != 0) fail("chmod", path);
}

inline void make_symlink(const std::string& target, const std::string& link) {
  make_dirs(parent_of(link));
  if (::symlink(target.c_str(), link.c_str()) != 0) fail("symlink", link);
}

inline void remove_file(const std::string& path) {
  if (::unlink(path.c_str()) != 0) fail("unlink", path);
}

inline bool exists(const std::string& path) {
  struct stat st;
  return ::lstat(path.c_str(), &st) == 0;
}

}  // namespace rtx::test
