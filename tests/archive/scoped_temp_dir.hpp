// A real temporary directory for a test (STYLE.md: the filesystem stays real):
// mkdtemp under /tmp, removed recursively in the destructor. Symlinks are
// removed, never followed, and read-only directories (archives make them) are
// made writable first.
#pragma once

#include <ftw.h>
#include <stdlib.h>
#include <sys/stat.h>
#include <unistd.h>

#include <stdexcept>
#include <string>

namespace rtx::test {

class ScopedTempDir {
 public:
  ScopedTempDir() {
    char tmpl[] = "/tmp/rtx-archive-test.XXXXXX";
    if (!::mkdtemp(tmpl)) throw std::runtime_error("mkdtemp failed");
    path_ = tmpl;
  }
  ~ScopedTempDir() {
    // Pre-order pass to open up directories, then a depth-first pass to remove.
    ::nftw(
        path_.c_str(),
        [](const char* p, const struct stat* st, int, struct FTW*) {
          if (S_ISDIR(st->st_mode)) ::chmod(p, 0700);
          return 0;
        },
        16, FTW_PHYS);
    ::nftw(
        path_.c_str(),
        [](const char* p, const struct stat* st, int, struct FTW*) {
          if (S_ISDIR(st->st_mode))
            ::rmdir(p);
          else
            ::unlink(p);
          return 0;
        },
        16, FTW_DEPTH | FTW_PHYS);
  }
  ScopedTempDir(const ScopedTempDir&) = delete;
  ScopedTempDir& operator=(const ScopedTempDir&) = delete;

  const std::string& path() const { return path_; }
  std::string operator/(const std::string& rel) const { return path_ + "/" + rel; }

 private:
  std::string path_;
};

}  // namespace rtx::test
