#include "manager/store/entries.hpp"

#include <dirent.h>
#include <fcntl.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <cstdio>
#include <set>

#include "manager/store/atomic_file.hpp"
#include "manager/util/fs.hpp"

namespace rtx::store {
namespace {

// A build id: nanoseconds and pid in hex. Never contains '-'.
std::string new_build_id() {
  timespec ts{};
  ::clock_gettime(CLOCK_REALTIME, &ts);
  char buf[64];
  std::snprintf(buf, sizeof buf, "%llx%05x", (unsigned long long)ts.tv_sec * 1000000000ull + ts.tv_nsec,
                unsigned(::getpid()) & 0xfffff);
  return buf;
}

bool ends_with(const std::string& s, const std::string& suffix) {
  return s.size() > suffix.size() && s.compare(s.size() - suffix.size(), suffix.size(), suffix) == 0;
}

}  // namespace

std::string version_of_entry(const std::string& name) { return name.substr(0, name.rfind('-')); }

Expected<Entry> create_building_entry(const StoreLayout& layout, const std::string& tool, const std::string& version) {
  std::string dir = layout.store_dir(tool);
  if (auto st = util::make_dirs(dir); !st) return Error{st.error()};
  Entry e{tool, version, version + "-" + new_build_id(), "", EntryState::Building};
  e.path = dir + "/" + e.name;
  if (auto st = set_state(e.path, EntryState::Building); !st) return Error{st.error()};
  int fd = ::open(resolver::lease_path(e.path).c_str(), O_RDONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0644);
  if (fd < 0) return make_error("cannot create the lease of " + e.path + ": " + util::errno_text());
  ::close(fd);
  if (::mkdir(e.path.c_str(), 0755) != 0)
    return make_error("cannot create " + e.path + ": " + util::errno_text() + ": check permissions and free space");
  util::fsync_dir(dir);
  return e;
}

Status set_state(const std::string& entry_path, EntryState state) {
  return write_file_atomic(resolver::state_path(entry_path), std::string(resolver::state_name(state)) + "\n");
}

Status remove_entry(const std::string& entry_path) {
  if (auto st = util::remove_tree(entry_path); !st) return st;
  for (const std::string& file :
       {resolver::meta_path(entry_path), resolver::lease_path(entry_path), resolver::state_path(entry_path)})
    if (::unlink(file.c_str()) != 0 && errno != ENOENT)
      return make_error("cannot remove " + file + ": " + util::errno_text() + ": check permissions");
  util::fsync_dir(util::parent_dir(entry_path));
  return ok_status();
}

std::vector<Entry> list_entries(const StoreLayout& layout, const std::string& tool) {
  std::set<std::string> names;
  std::string dir = layout.store_dir(tool);
  if (DIR* d = ::opendir(dir.c_str())) {
    while (dirent* de = ::readdir(d)) {
      std::string n = de->d_name;
      if (n[0] == '.') continue;
      for (const char* suffix : {".state", ".lease", ".meta"})
        if (ends_with(n, suffix)) n.resize(n.size() - std::string(suffix).size());
      names.insert(n);
    }
    ::closedir(d);
  }
  std::vector<Entry> out;
  for (const auto& n : names) {
    Entry e{tool, version_of_entry(n), n, dir + "/" + n, EntryState::Missing};
    e.state = resolver::read_state(e.path);
    out.push_back(std::move(e));
  }
  return out;
}

std::vector<std::string> list_tools(const StoreLayout& layout) {
  std::vector<std::string> tools;
  if (DIR* d = ::opendir((layout.data + "/store").c_str())) {
    while (dirent* de = ::readdir(d)) {
      std::string n = de->d_name;
      if (n[0] == '.') continue;
      std::replace(n.begin(), n.end(), '+', '/');
      tools.push_back(n);
    }
    ::closedir(d);
  }
  std::sort(tools.begin(), tools.end());
  return tools;
}

}  // namespace rtx::store
