#include "resolver/request.hpp"

#include <dirent.h>
#include <fcntl.h>
#include <unistd.h>
#include <cerrno>
#include <cstdlib>
#include <cstring>
#include <iterator>

#include "resolver/config_read.hpp"
#include "resolver/file_io.hpp"

namespace rtx::resolver {

std::string Request::joined() const {
  std::string out;
  for (const auto& s : specs) {
    if (!out.empty()) out += ' ';
    out += s.text;
  }
  return out;
}

std::string version_env_var(std::string_view tool) {
  std::string var = "RTX_";
  for (char c : tool) {
    if (c >= 'a' && c <= 'z') c = char(c - 'a' + 'A');
    bool alnum = (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9');
    var += alnum ? c : '_';
  }
  var += "_VERSION";
  return var;
}

const std::vector<std::string>& RequestFinder::trusted() {
  if (!trusted_loaded_) {
    trusted_loaded_ = true;
    ConfigRead global = read_config(roots_.config + "/config.toml", {});
    trusted_ = trusted_config_paths(global.access == ConfigAccess::Read ? global.text : std::string());
  }
  return trusted_;
}

void RequestFinder::warn(const std::string& line) {
  if (on_warning_) {
    on_warning_(line);
    return;
  }
  std::string out = "rtx: " + line + "\n";
  (void)!::write(STDERR_FILENO, out.data(), out.size());
}

Expected<const ConfigFile*> RequestFinder::load(const std::string& path) {
  for (const auto& [p, f] : cache_)
    if (p == path) return static_cast<const ConfigFile*>(f.get());
  const ConfigFile* none = nullptr;
  ConfigRead file = read_config(path, {});
  if (file.access == ConfigAccess::Foreign) file = read_config(path, trusted());
  switch (file.access) {
    case ConfigAccess::Read:
      break;
    case ConfigAccess::Absent:
    case ConfigAccess::NotRegular:  // a FIFO or device must never block or flood a shim
      return none;
    case ConfigAccess::Foreign:
      cache_.emplace_back(path, nullptr);  // one warning per file
      warn("ignoring " + path + ": it is owned by uid " + std::to_string(file.owner) +
           ", not by you or root; to use it, add its directory to trusted_config_paths in " + roots_.config +
           "/config.toml [settings]");
      return none;
    case ConfigAccess::TooLarge:
      return make_error(path + ": larger than 1 MiB, too large for a config file: shorten it or remove it");
    case ConfigAccess::Failed:
      return make_error(path + ": cannot read: " + std::strerror(file.error) + ": fix its permissions or remove it");
  }
  auto parsed = parse_config(path, file.text, format_of(path));
  if (!parsed) return Error{parsed.error()};
  if (on_read_) on_read_(path);
  cache_.emplace_back(path, std::make_unique<ConfigFile>(std::move(*parsed)));
  return static_cast<const ConfigFile*>(cache_.back().second.get());
}

namespace {

// Which of kConfigNames `dir` holds, as a bit mask: one directory listing
// (open + getdents64 + close) instead of five failed opens per level.
unsigned config_names_in(const std::string& dir) {
  int fd = ::open(dir.c_str(), O_RDONLY | O_DIRECTORY | O_CLOEXEC);
  if (fd < 0) return 0;
  unsigned present = 0;
  alignas(8) char buf[16384];
  for (;;) {
    long n = ::getdents64(fd, buf, sizeof buf);
    if (n <= 0) break;
    for (long off = 0; off < n;) {
      auto* d = reinterpret_cast<struct dirent64*>(buf + off);
      off += d->d_reclen;
      const char* name = d->d_name;
      if (name[0] != '.' && name[0] != 'r' && name[0] != 'm') continue;
      for (unsigned i = 0; i < std::size(kConfigNames); ++i)
        if (std::strcmp(name, kConfigNames[i]) == 0) present |= 1u << i;
    }
  }
  ::close(fd);
  return present;
}

}  // namespace

Status RequestFinder::walk(const std::function<bool(const ConfigFile&)>& visit) {
  bool stop = false;
  auto try_file = [&](const std::string& path) -> Status {
    auto f = load(path);
    if (!f) return Error{f.error()};
    if (*f && visit(**f)) stop = true;
    return ok_status();
  };
  // Only an absolute working directory is walked (a relative $PWD fallback
  // would never reach "/"); the global configs apply either way.
  std::string dir = cwd_;
  while (dir.size() > 1 && dir.back() == '/') dir.pop_back();
  if (!dir.empty() && dir[0] == '/') {
    for (;;) {
      unsigned present = config_names_in(dir);
      for (unsigned i = 0; present && i < std::size(kConfigNames); ++i) {
        if (!(present & (1u << i))) continue;
        if (auto st = try_file((dir == "/" ? "" : dir) + "/" + kConfigNames[i]); !st) return st;
        if (stop) return ok_status();
      }
      if (dir == "/") break;
      std::size_t slash = dir.rfind('/');
      dir = slash == 0 ? "/" : dir.substr(0, slash);
    }
  }
  if (auto st = try_file(roots_.config + "/config.toml"); !st || stop) return st;
  if (!roots_.home.empty()) return try_file(roots_.home + "/.tool-versions");
  return ok_status();
}

namespace {

Expected<Request> request_from(const ToolEntry& entry, const std::string& source) {
  Request r{entry.tool, {}, source, entry.line};
  for (const auto& s : entry.specs) {
    auto spec = parse_spec(s);
    if (!spec) return make_error(source + ":" + std::to_string(entry.line) + ": " + spec.error());
    r.specs.push_back(std::move(*spec));
  }
  return r;
}

}  // namespace

Expected<Request> RequestFinder::find(std::string_view tool) {
  std::string var = version_env_var(tool);
  if (const char* v = std::getenv(var.c_str()); v && *v) {
    auto parsed = parse_config(var, std::string(tool) + " " + v, ConfigFormat::ToolVersions);
    if (!parsed || parsed->tools.empty())
      return make_error(var + "='" + v + "' is not a version list: set it to e.g. 1.2.3 or unset it");
    return request_from(parsed->tools[0], var);
  }
  Expected<Request> found = Request{};
  auto st = walk([&](const ConfigFile& f) {
    const ToolEntry* e = f.find(tool);
    if (!e) return false;
    found = request_from(*e, f.path);
    return true;
  });
  if (!st) return Error{st.error()};
  return found;
}

Expected<std::vector<Request>> RequestFinder::all() {
  std::vector<Request> out;
  Status inner = ok_status();
  auto st = walk([&](const ConfigFile& f) {
    for (const auto& e : f.tools) {
      bool seen = false;
      for (const auto& r : out) seen = seen || r.tool == e.tool;
      if (seen) continue;
      std::string var = version_env_var(e.tool);
      auto req = std::getenv(var.c_str()) ? find(e.tool) : request_from(e, f.path);
      if (!req) {
        inner = Error{req.error()};
        return true;
      }
      out.push_back(std::move(*req));
    }
    return false;
  });
  if (!st) return Error{st.error()};
  if (!inner) return Error{inner.error()};
  return out;
}

}  // namespace rtx::resolver
