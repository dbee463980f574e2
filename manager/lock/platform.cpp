// Platform names as mise writes them (macos-*, not the darwin-*: one
// file serves both tools, docs/decisions.md), and which lock file a config uses.
#include <sys/utsname.h>

#include "manager/lock/lockfile.hpp"
#include "manager/util/fs.hpp"
#include "resolver/printable.hpp"
#include "resolver/version.hpp"

namespace rtx::lock {

std::string current_platform() {
#if defined(__APPLE__)
  std::string os = "macos";
#else
  std::string os = "linux";
#endif
#if defined(__x86_64__)
  return os + "-x64";
#elif defined(__aarch64__)
  return os + "-arm64";
#else
  // Not one rtx locks: the name still says what this machine is, and a lookup
  // for it finds nothing (a locked install then says the platform is missing).
  struct utsname u;
  return os + "-" + (::uname(&u) == 0 ? std::string(u.machine) : std::string("unknown"));
#endif
}

Expected<std::string> normalize_platform(std::string_view name) {
  std::string lower;
  for (char c : name.substr(0, 64)) lower += resolver::ascii_lower(c);
  std::size_t dash = lower.find('-');
  if (name.size() <= 64 && dash != std::string::npos) {
    std::string os = lower.substr(0, dash), arch = lower.substr(dash + 1);
    if (os == "darwin" || os == "macos" || os == "osx") os = "macos";
    if (arch == "amd64" || arch == "x86_64") arch = "x64";
    if (arch == "aarch64") arch = "arm64";
    if ((os == "linux" || os == "macos") && (arch == "x64" || arch == "arm64")) return os + "-" + arch;
  }
  return make_error("unknown platform '" + resolver::printable(name, 64) +
                    "': rtx locks linux-x64, linux-arm64, macos-x64 and macos-arm64 (darwin-* means macos-*)");
}

std::string lockfile_for_config(const std::string& config_path) {
  std::string dir = util::parent_dir(config_path);
  std::string rtx_lock = dir + "/rtx.lock";
  if (util::exists(rtx_lock)) return rtx_lock;
  std::string mise_lock = dir + "/mise.lock";
  if (util::exists(mise_lock)) return mise_lock;
  return rtx_lock;
}

}  // namespace rtx::lock
