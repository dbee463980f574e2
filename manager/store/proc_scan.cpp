#include "manager/store/proc_scan.hpp"

#include <dirent.h>
#include <unistd.h>

#include <climits>
#include <cstdlib>

#include "resolver/file_io.hpp"
#include "resolver/store_layout.hpp"

namespace rtx::store {
namespace {

template <typename F>
void for_each_pid(F&& f) {
  DIR* d = ::opendir("/proc");
  if (!d) return;
  while (dirent* de = ::readdir(d)) {
    char* end = nullptr;
    long pid = std::strtol(de->d_name, &end, 10);
    if (pid <= 0 || *end) continue;
    f(pid_t(pid), std::string("/proc/") + de->d_name);
  }
  ::closedir(d);
}

template <typename F>
void for_each_fd_target(const std::string& proc_dir, F&& f) {
  std::string fd_dir = proc_dir + "/fd";
  DIR* d = ::opendir(fd_dir.c_str());
  if (!d) return;
  while (dirent* de = ::readdir(d)) {
    if (de->d_name[0] == '.') continue;
    std::string target = resolver::read_link(fd_dir + "/" + de->d_name);
    if (!target.empty() && f(target)) break;
  }
  ::closedir(d);
}

bool under(const std::string& path, const std::string& root) {
  return path == root ||
         (path.size() > root.size() && path.compare(0, root.size(), root) == 0 && path[root.size()] == '/');
}

bool strip_deleted(std::string& path) {
  static const std::string kDeleted = " (deleted)";
  if (path.size() > kDeleted.size() && path.compare(path.size() - kDeleted.size(), kDeleted.size(), kDeleted) == 0) {
    path.resize(path.size() - kDeleted.size());
    return true;
  }
  return false;
}

}  // namespace

// /proc shows resolved paths; the data dir may be reached through a symlink.
std::string resolved(const std::string& path) {
  char buf[PATH_MAX];
  if (::realpath(path.c_str(), buf)) return buf;
  std::string parent = path.substr(0, path.rfind('/'));
  if (!parent.empty() && ::realpath(parent.c_str(), buf)) return std::string(buf) + path.substr(parent.size());
  return path;
}

std::vector<pid_t> lease_holders(const std::string& lease_path_given) {
  const std::string lease_file = resolved(lease_path_given);
  std::vector<pid_t> out;
  for_each_pid([&](pid_t pid, const std::string& dir) {
    for_each_fd_target(dir, [&](std::string target) {
      strip_deleted(target);
      if (target != lease_file) return false;
      out.push_back(pid);
      return true;
    });
  });
  return out;
}

std::vector<ProcessUse> processes_using(const std::string& entry_path_given) {
  std::vector<ProcessUse> out;
  const std::string entry_path = resolved(entry_path_given);
  const std::string lease = resolved(resolver::lease_path(entry_path_given));
  const pid_t self = ::getpid();
  for_each_pid([&](pid_t pid, const std::string& dir) {
    if (pid == self) return;
    auto add = [&](const char* how) { out.push_back(ProcessUse{pid, how}); };
    std::string exe = resolver::read_link(dir + "/exe");
    strip_deleted(exe);
    if (!exe.empty() && under(exe, entry_path)) return add("exe");
    std::string cwd = resolver::read_link(dir + "/cwd");
    strip_deleted(cwd);
    if (!cwd.empty() && under(cwd, entry_path)) return add("cwd");
    const char* fd_how = nullptr;
    for_each_fd_target(dir, [&](std::string target) {
      strip_deleted(target);
      if (target == lease) {
        fd_how = "lease";  // the lease says more than any other fd: stop here
        return true;
      }
      if (under(target, entry_path)) fd_how = "fd";
      return false;
    });
    if (fd_how) return add(fd_how);
    std::string maps;
    if (resolver::read_file(dir + "/maps", maps) != 0) return;
    std::size_t pos = 0;
    while ((pos = maps.find(entry_path, pos)) != std::string::npos) {
      std::size_t after = pos + entry_path.size();
      if (pos > 0 && maps[pos - 1] == ' ' && (after == maps.size() || maps[after] == '/' || maps[after] == '\n'))
        return add("map");
      pos = after;
    }
  });
  return out;
}

std::string describe_uses(const std::vector<ProcessUse>& uses) {
  std::string out;
  for (const auto& u : uses) out += (out.empty() ? "" : ", ") + std::to_string(u.pid) + " (" + u.how + ")";
  return out;
}

}  // namespace rtx::store
