#include "manager/util/root_safety.hpp"

#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <cstdio>
#include <cstring>

namespace rtx::util {
namespace {

void check_dir(const std::string& path, std::vector<UnsafeRoot>& out) {
  struct stat st {};
  if (::stat(path.c_str(), &st) != 0) {
    if (errno == ENOENT) return;  // made by rtx when first needed, with our umask
    out.push_back({path, std::string("cannot be opened (") + std::strerror(errno) + ")",
                   "make it a folder of yours, or point the RTX_*_DIR variable elsewhere"});
    return;
  }
  if (!S_ISDIR(st.st_mode)) {
    out.push_back({path, "is not a folder", "remove it, or point the RTX_*_DIR variable elsewhere"});
    return;
  }
  uid_t me = ::geteuid();
  if (st.st_uid != me && st.st_uid != 0) {
    out.push_back(
        {path, "is owned by uid " + std::to_string(st.st_uid) + ", not by you (uid " + std::to_string(me) + ") or root",
         "chown -R " + std::to_string(me) + " " + path + " (after checking what is in it)"});
    return;
  }
  if (st.st_mode & (S_IWGRP | S_IWOTH)) {
    char mode[8];
    std::snprintf(mode, sizeof mode, "%04o", unsigned(st.st_mode & 07777));
    const char* who = (st.st_mode & S_IWGRP) && (st.st_mode & S_IWOTH) ? "group- and world-writable"
                      : (st.st_mode & S_IWGRP)                         ? "group-writable"
                                                                       : "world-writable";
    out.push_back({path, std::string("is ") + who + " (mode " + mode + ")", "chmod go-w " + path});
  }
}

}  // namespace

std::vector<UnsafeRoot> unsafe_roots(const resolver::Roots& roots) {
  std::vector<UnsafeRoot> out;
  check_dir(roots.data, out);
  for (const char* sub : {"store", "installs", "shims", "plugins", "locks"}) check_dir(roots.data + "/" + sub, out);
  check_dir(roots.config, out);
  return out;
}

Status check_roots(const resolver::Roots& roots) {
  std::vector<UnsafeRoot> bad = unsafe_roots(roots);
  if (bad.empty()) return ok_status();
  const UnsafeRoot& b = bad.front();
  return make_error("refusing to use " + b.path + ": it " + b.problem +
                    ", so another user could choose what your tools run: " + b.fix);
}

}  // namespace rtx::util
