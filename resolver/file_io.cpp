#include "resolver/file_io.hpp"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>
#include <cerrno>

namespace rtx::resolver {

// Read straight into `out`, no stack buffer: on a VM every fresh stack page
// costs a shim a page fault, dearer than a syscall.
int read_file(const std::string& path, std::string& out) {
  int fd = ::open(path.c_str(), O_RDONLY | O_CLOEXEC);
  if (fd < 0) return errno;
  out.clear();
  std::size_t got = 0;
  for (;;) {
    if (out.size() - got < 256) out.resize(out.empty() ? 512 : out.size() * 2);
    ssize_t n = ::read(fd, out.data() + got, out.size() - got);
    if (n < 0) {
      if (errno == EINTR) continue;
      int e = errno;
      ::close(fd);
      out.clear();
      return e;
    }
    if (n == 0) break;
    got += std::size_t(n);
  }
  out.resize(got);
  ::close(fd);
  return 0;
}

std::string read_link(const std::string& path) {
  // Store links are short: a small buffer first, a large one only for a long
  // target (fewer fresh stack pages in a shim).
  char small[256];
  ssize_t n = ::readlink(path.c_str(), small, sizeof small);
  if (n < 0) return {};
  if (n < ssize_t(sizeof small)) return std::string(small, std::size_t(n));
  std::string buf(4096, '\0');
  n = ::readlink(path.c_str(), buf.data(), buf.size());
  if (n < 0 || n == ssize_t(buf.size())) return {};
  buf.resize(std::size_t(n));
  return buf;
}

bool is_executable_file(const std::string& path) {
  struct stat st;
  return ::stat(path.c_str(), &st) == 0 && S_ISREG(st.st_mode) && ::access(path.c_str(), X_OK) == 0;
}

}  // namespace rtx::resolver
