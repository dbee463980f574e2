// Checks (1) and (2) of `rtx doctor`: is shims/ on PATH, and does a folder
// before it hold a command of the same name (the system one then wins).
#include <dirent.h>
#include <sys/stat.h>

#include <algorithm>
#include <cstdlib>

#include "manager/doctor/checks.hpp"
#include "manager/doctor/path_util.hpp"
#include "resolver/file_io.hpp"

namespace rtx::doctor {
namespace {

std::string env_or_empty(const char* name) {
  const char* v = std::getenv(name);
  return v ? v : "";
}

std::string strip_slashes(std::string s) {
  while (s.size() > 1 && s.back() == '/') s.pop_back();
  return s;
}

bool same_dir(const std::string& a, const std::string& b) {
  if (strip_slashes(a) == strip_slashes(b)) return true;
  struct stat sa {
  }, sb{};
  return ::stat(a.c_str(), &sa) == 0 && ::stat(b.c_str(), &sb) == 0 && S_ISDIR(sa.st_mode) && sa.st_dev == sb.st_dev &&
         sa.st_ino == sb.st_ino;
}

// The commands shims/ provides (its entries but .index and other dot files), sorted.
std::vector<std::string> shim_names(const std::string& shims_dir) {
  std::vector<std::string> out;
  if (DIR* d = ::opendir(shims_dir.c_str())) {
    while (dirent* e = ::readdir(d))
      if (e->d_name[0] != '.') out.emplace_back(e->d_name);
    ::closedir(d);
  }
  std::sort(out.begin(), out.end());
  return out;
}

}  // namespace

ShellEnv ShellEnv::from_environment() {
  return ShellEnv{env_or_empty("PATH"), env_or_empty("SHELL"), env_or_empty("HOME"), env_or_empty("ZDOTDIR"),
                  env_or_empty("XDG_CONFIG_HOME")};
}

std::vector<std::string> path_dirs(const std::string& path) {
  std::vector<std::string> out;
  if (path.empty()) return out;
  std::size_t start = 0;
  for (;;) {
    std::size_t colon = path.find(':', start);
    out.push_back(path.substr(start, colon == std::string::npos ? std::string::npos : colon - start));
    if (colon == std::string::npos) return out;
    start = colon + 1;
  }
}

std::optional<std::size_t> shims_position(const std::vector<std::string>& dirs, const std::string& shims_dir) {
  for (std::size_t i = 0; i < dirs.size(); ++i)
    if (!dirs[i].empty() && same_dir(dirs[i], shims_dir)) return i;
  return std::nullopt;
}

Findings check_shims_on_path(const std::string& shims_dir, const ShellEnv& env, const std::string& rtx_binary) {
  if (shims_position(path_dirs(env.path), shims_dir)) return {};
  return {{Severity::Warning, "path",
           shims_dir + " is not on PATH: commands run rtx's versions only through 'rtx exec' or a shim's full path",
           put_shims_first(shims_dir, env, rtx_binary)}};
}

Findings check_shims_shadowed(const std::string& shims_dir, const ShellEnv& env, const std::string& rtx_binary) {
  std::vector<std::string> dirs = path_dirs(env.path);
  auto shims_at = shims_position(dirs, shims_dir);
  if (!shims_at || *shims_at == 0) return {};
  std::vector<std::string> names = shim_names(shims_dir);
  Findings out;
  for (std::size_t i = 0; i < *shims_at; ++i) {
    // An empty entry is the current directory: it changes with every cd, so
    // what it holds here says nothing about where the user runs commands.
    if (dirs[i].empty() || std::find(dirs.begin(), dirs.begin() + long(i), dirs[i]) != dirs.begin() + long(i)) continue;
    std::string found;
    for (const auto& name : names)
      if (resolver::is_executable_file(dirs[i] + "/" + name)) found += (found.empty() ? "" : ", ") + name;
    if (found.empty()) continue;
    out.push_back({Severity::Problem, "path-order",
                   dirs[i] + " comes before " + shims_dir + " on PATH and holds " + found +
                       ": the system command runs, not the version rtx selects",
                   put_shims_first(shims_dir, env, rtx_binary)});
  }
  return out;
}

}  // namespace rtx::doctor
