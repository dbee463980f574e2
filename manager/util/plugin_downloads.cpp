#include "manager/util/plugin_downloads.hpp"

#include <dirent.h>
#include <fcntl.h>
#include <sys/file.h>

#include <cerrno>
#include <cstdint>
#include <cstdio>
#include <cstring>

#include "manager/util/fs.hpp"
#include "resolver/unique_fd.hpp"

namespace rtx::util {
namespace {

std::vector<std::string> list_names(const std::string& dir) {
  std::vector<std::string> names;
  DIR* d = ::opendir(dir.c_str());
  if (!d) return names;
  while (dirent* e = ::readdir(d))
    if (std::strcmp(e->d_name, ".") != 0 && std::strcmp(e->d_name, "..") != 0) names.emplace_back(e->d_name);
  ::closedir(d);
  return names;
}

bool ends_with(const std::string& text, const std::string& suffix) {
  return text.size() >= suffix.size() && text.compare(text.size() - suffix.size(), suffix.size(), suffix) == 0;
}

// The install locks of `version`, each taken LOCK_EX|LOCK_NB and held by the
// result; false when one is busy (an install of that version is running).
bool lock_version(const std::string& locks_dir, const std::vector<std::string>& lock_names, const std::string& version,
                  std::vector<UniqueFd>& held) {
  const std::string suffix = "@" + version + ".lock";
  for (const auto& name : lock_names) {
    if (!ends_with(name, suffix)) continue;
    // Never O_CREAT: a lock file nobody made is a lock nobody holds.
    UniqueFd fd(::open((locks_dir + "/" + name).c_str(), O_RDONLY | O_CLOEXEC | O_NOFOLLOW));
    if (!fd.valid()) continue;
    if (::flock(fd.get(), LOCK_EX | LOCK_NB) != 0) return false;
    held.push_back(std::move(fd));
  }
  return true;
}

}  // namespace

DownloadSweep sweep_plugin_downloads(const resolver::StoreLayout& layout, const std::string& download_root) {
  DownloadSweep sweep;
  // Folders first, locks second: a lock free now means the installer of a
  // folder seen before is gone (it takes the lock before making the folder).
  std::vector<std::string> folders = list_names(download_root);
  if (folders.empty()) return sweep;
  const std::string locks_dir = layout.data + "/locks";
  std::vector<std::string> lock_names = list_names(locks_dir);
  for (const auto& name : folders) {
    std::string version = name.substr(0, name.rfind('-'));  // "<version>-<build>"
    std::vector<UniqueFd> held;
    if (!lock_version(locks_dir, lock_names, version, held)) continue;
    std::string path = download_root + "/" + name;
    if (Status gone = remove_tree(path); !gone) {
      sweep.errors.push_back(gone.error() + " (an abandoned download folder): check its permissions");
      continue;
    }
    sweep.removed.push_back("removed abandoned download folder " + path);
  }
  return sweep;
}

std::string plugin_download_root(const std::string& cache_dir, const std::string& data_dir) {
  std::uint64_t h = 14695981039346656037ull;  // FNV-1a, 64 bits
  for (char c : data_dir) {
    h ^= static_cast<unsigned char>(c);
    h *= 1099511628211ull;
  }
  char key[17];
  std::snprintf(key, sizeof key, "%016llx", static_cast<unsigned long long>(h));
  return cache_dir + "/plugin-downloads/" + key;
}

}  // namespace rtx::util
