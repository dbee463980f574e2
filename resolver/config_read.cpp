#include "resolver/config_read.hpp"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <cstdlib>

#include "resolver/toml.hpp"
#include "resolver/toml_guard.hpp"
#include "resolver/unique_fd.hpp"

namespace rtx::resolver {

bool is_under_any(std::string_view path, const std::vector<std::string>& dirs) {
  for (std::string_view dir : dirs) {
    while (dir.size() > 1 && dir.back() == '/') dir.remove_suffix(1);
    if (dir.empty() || dir[0] != '/') continue;
    if (dir == "/") return true;
    if (path.size() > dir.size() && path.substr(0, dir.size()) == dir && path[dir.size()] == '/') return true;
  }
  return false;
}

ConfigRead read_config(const std::string& path, const std::vector<std::string>& trusted) {
  ConfigRead r;
  UniqueFd fd(::open(path.c_str(), O_RDONLY | O_CLOEXEC | O_NONBLOCK | O_NOCTTY));
  if (!fd.valid()) {
    r.error = errno;
    r.access = (errno == ENOENT || errno == ENOTDIR || errno == ELOOP) ? ConfigAccess::Absent : ConfigAccess::Failed;
    if (errno == ELOOP) r.access = ConfigAccess::NotRegular;
    return r;
  }
  struct stat st {};
  if (::fstat(fd.get(), &st) != 0) {
    r.error = errno;
    r.access = ConfigAccess::Failed;
    return r;
  }
  if (!S_ISREG(st.st_mode)) {
    r.access = ConfigAccess::NotRegular;
    return r;
  }
  r.identity = FileIdentity{static_cast<unsigned long long>(st.st_dev), static_cast<unsigned long long>(st.st_ino),
                            static_cast<unsigned long long>(st.st_size),
                            static_cast<long long>(st.st_mtim.tv_sec) * 1'000'000'000 + st.st_mtim.tv_nsec,
                            static_cast<long long>(st.st_ctim.tv_sec) * 1'000'000'000 + st.st_ctim.tv_nsec};
  if (st.st_uid != ::geteuid() && st.st_uid != 0 && !is_under_any(path, trusted)) {
    r.access = ConfigAccess::Foreign;
    r.owner = st.st_uid;
    return r;
  }
  if (std::size_t(st.st_size) > kMaxConfigBytes) {
    r.access = ConfigAccess::TooLarge;
    return r;
  }
  // Read at most one byte past the cap: a file growing meanwhile is still caught.
  r.text.resize(std::size_t(st.st_size) + 1);
  std::size_t got = 0;
  for (;;) {
    if (got == r.text.size()) r.text.resize(std::min(r.text.size() * 2, kMaxConfigBytes + 1));
    if (got > kMaxConfigBytes) {
      r.text.clear();
      r.access = ConfigAccess::TooLarge;
      return r;
    }
    ssize_t n = ::read(fd.get(), r.text.data() + got, r.text.size() - got);
    if (n < 0 && errno == EINTR) continue;
    if (n < 0) {
      r.error = errno;
      r.access = ConfigAccess::Failed;
      r.text.clear();
      return r;
    }
    if (n == 0) break;
    got += std::size_t(n);
  }
  r.text.resize(got);
  r.access = ConfigAccess::Read;
  return r;
}

std::vector<std::string> trusted_config_paths(std::string_view global_config_text) {
  std::vector<std::string> out;
  if (const char* env = std::getenv("RTX_TRUSTED_CONFIG_PATHS")) {
    std::string_view list(env);
    while (!list.empty()) {
      std::size_t colon = list.find(':');
      std::string_view dir = list.substr(0, colon);
      if (!dir.empty() && dir[0] == '/') out.emplace_back(dir);
      if (colon == std::string_view::npos) break;
      list.remove_prefix(colon + 1);
    }
  }
  if (global_config_text.empty()) return out;
  if (toml_non_ascii_line(global_config_text) != 0) return out;  // reported when it is read for tools
  toml::parse_result parsed = toml::parse(global_config_text);
  if (!parsed) return out;  // the global config's own errors are reported when it is read for tools
  if (const toml::array* dirs = parsed.table()["settings"]["trusted_config_paths"].as_array())
    for (const toml::node& d : *dirs)
      if (const auto* s = d.as_string(); s && !s->get().empty() && s->get()[0] == '/') out.push_back(s->get());
  return out;
}

bool auto_install_enabled(std::string_view global_config_text) {
  if (const char* env = std::getenv("RTX_AUTO_INSTALL"); env && *env) {
    std::string_view v(env);
    return !(v == "0" || v == "false" || v == "no" || v == "off");
  }
  if (global_config_text.empty() || toml_non_ascii_line(global_config_text) != 0) return true;
  toml::parse_result parsed = toml::parse(global_config_text);
  if (!parsed) return true;
  return parsed.table()["settings"]["auto_install"].value_or(true);
}

}  // namespace rtx::resolver
