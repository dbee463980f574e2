#include "manager/util/fs.hpp"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <filesystem>
#include <vector>

#include "resolver/file_io.hpp"

namespace rtx::util {

std::string errno_text() { return std::strerror(errno); }

std::vector<std::string> read_lines(const std::string& path) {
  std::vector<std::string> out;
  std::string text;
  resolver::read_file(path, text);
  std::size_t pos = 0;
  while (pos < text.size()) {
    std::size_t eol = text.find('\n', pos);
    std::string line = text.substr(pos, eol - pos);
    if (!line.empty()) out.push_back(std::move(line));
    if (eol == std::string::npos) break;
    pos = eol + 1;
  }
  return out;
}

Status make_dirs(const std::string& path) {
  std::error_code ec;
  std::filesystem::create_directories(path, ec);
  if (ec) return make_error("cannot create " + path + ": " + ec.message() + ": check permissions and free space");
  return ok_status();
}

void fsync_dir(const std::string& dir) {
  int fd = ::open(dir.c_str(), O_RDONLY | O_DIRECTORY | O_CLOEXEC);
  if (fd < 0) return;
  ::fsync(fd);
  ::close(fd);
}

std::string parent_dir(const std::string& path) {
  auto slash = path.rfind('/');
  if (slash == std::string::npos) return ".";
  return slash == 0 ? "/" : path.substr(0, slash);
}

Status remove_tree(const std::string& path) {
  std::error_code ec;
  // Make read-only directories writable first, as plugins (go, npm) leave them.
  for (auto it = std::filesystem::recursive_directory_iterator(path, ec);
       !ec && it != std::filesystem::recursive_directory_iterator(); it.increment(ec)) {
    if (it->is_directory(ec) && !it->is_symlink(ec)) ::chmod(it->path().c_str(), 0700);
  }
  ec.clear();
  std::filesystem::remove_all(path, ec);
  if (ec) return make_error("cannot remove " + path + ": " + ec.message());
  return ok_status();
}

bool exists(const std::string& path) {
  struct stat st;
  return ::lstat(path.c_str(), &st) == 0;
}

std::string self_dir() { return parent_dir(resolver::read_link("/proc/self/exe")); }

std::string absolute(const std::string& path, const std::string& cwd) {
  std::filesystem::path p(path);
  if (p.is_relative()) p = std::filesystem::path(cwd) / p;
  std::string out = p.lexically_normal().string();
  while (out.size() > 1 && out.back() == '/') out.pop_back();
  return out;
}

}  // namespace rtx::util
