#include "resolver/system_tool.hpp"

#include <sys/stat.h>

#include "resolver/file_io.hpp"

namespace rtx::resolver {
namespace {

std::string_view trim_slashes(std::string_view p) {
  while (p.size() > 1 && p.back() == '/') p.remove_suffix(1);
  return p;
}

}  // namespace

std::string find_system_command(std::string_view command, std::string_view path_env, const std::string& shims_dir) {
  struct stat self {};
  bool have_self = ::stat("/proc/self/exe", &self) == 0;
  std::string_view shims = trim_slashes(shims_dir);
  while (!path_env.empty()) {
    std::size_t colon = path_env.find(':');
    std::string_view dir = path_env.substr(0, colon);
    path_env = colon == std::string_view::npos ? std::string_view{} : path_env.substr(colon + 1);
    if (dir.empty() || trim_slashes(dir) == shims) continue;
    std::string candidate = std::string(dir) + "/" + std::string(command);
    if (!is_executable_file(candidate)) continue;
    struct stat st {};
    if (have_self && ::stat(candidate.c_str(), &st) == 0 && st.st_dev == self.st_dev && st.st_ino == self.st_ino)
      continue;  // another shims dir, or a link to the shim
    return candidate;
  }
  return {};
}

}  // namespace rtx::resolver
