// A real temporary directory for a test (STYLE.md: the filesystem stays real):
// mkdtemp under /tmp, removed recursively in the destructor, symlinks never
// followed. Tests point RTX_CACHE_DIR and friends into one, never at HOME.
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
    char tmpl[] = "/tmp/rtx-test.XXXXXX";
    if (!::mkdtemp(tmpl)) throw std::runtime_error("mkdtemp failed");
    path_ = tmpl;
  }
  ~ScopedTempDir() {
    // FTW_DEPTH: children before their directory; FTW_PHYS: a link is removed,
    // never followed. Unreadable directories are opened up first, and a
    // failure never stops the walk.
    ::nftw(
        path_.c_str(),
        [](const char* p, const struct stat* st, int type, struct FTW*) {
          if (type == FTW_DNR) ::chmod(p, 0700);
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
