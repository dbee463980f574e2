#include "resolver/request.hpp"

#include <dirent.h>
#include <fcntl.h>
#include <unistd.h>
#include <algorithm>
#include <array>
#include <cerrno>
#include <cstdlib>
#include <cstring>
#include <iterator>
#include <string_view>

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

const std::string& RequestFinder::global_text() {
  if (!global_loaded_) {
    global_loaded_ = true;
    ConfigRead global = read_config(roots_.config + "/config.toml", {});
    if (global.access == ConfigAccess::Read) global_text_ = std::move(global.text);
  }
  return global_text_;
}

const std::vector<std::string>& RequestFinder::trusted() {
  if (!trusted_loaded_) {
    trusted_loaded_ = true;
    trusted_ = trusted_config_paths(global_text());
  }
  return trusted_;
}

bool RequestFinder::idiomatic_enabled(std::string_view tool) {
  if (!idiomatic_loaded_) {
    idiomatic_loaded_ = true;
    idiomatic_ = idiomatic_tools(global_text());
  }
  for (const auto& t : idiomatic_)
    if (t == tool) return true;
  return false;
}

void RequestFinder::warn(const std::string& line) {
  if (on_warning_) {
    on_warning_(line);
    return;
  }
  std::string out = "rtx: " + line + "\n";
  (void)!::write(STDERR_FILENO, out.data(), out.size());
}

Expected<bool> RequestFinder::read_counted(const std::string& path, const std::string& cache_key, ConfigRead& file) {
  file = read_config(path, {});
  if (file.access == ConfigAccess::Foreign) file = read_config(path, trusted());
  switch (file.access) {
    case ConfigAccess::Read:
      return true;
    case ConfigAccess::Absent:
    case ConfigAccess::NotRegular:  // a FIFO or device must never block or flood a shim
      return false;
    case ConfigAccess::Foreign:
      cache_.emplace_back(cache_key, nullptr);  // one warning per file
      warn("ignoring " + path + ": it is owned by uid " + std::to_string(file.owner) +
           ", not by you or root; to use it, add its directory to trusted_config_paths in " + roots_.config +
           "/config.toml [settings]");
      return false;
    case ConfigAccess::TooLarge:
      return make_error(path + ": larger than 1 MiB, too large for a config file: shorten it or remove it");
    case ConfigAccess::Failed:
      break;
  }
  return make_error(path + ": cannot read: " + std::strerror(file.error) + ": fix its permissions or remove it");
}

Expected<const ConfigFile*> RequestFinder::load(const std::string& path, const IdiomaticFile* idiomatic) {
  for (const auto& [p, f] : cache_)
    if (p == path) return static_cast<const ConfigFile*>(f.get());
  const ConfigFile* none = nullptr;
  ConfigRead file;
  auto counted = read_counted(path, path, file);
  if (!counted) return Error{counted.error()};
  if (!*counted) return none;
  auto parsed =
      idiomatic ? parse_idiomatic(path, *idiomatic, file.text) : parse_config(path, file.text, format_of(path));
  if (!parsed) return Error{parsed.error()};
  if (on_read_) on_read_(path);
  cache_.emplace_back(path, std::make_unique<ConfigFile>(std::move(*parsed)));
  return static_cast<const ConfigFile*>(cache_.back().second.get());
}

void RequestFinder::load_legacy_names() {
  if (legacy_loaded_) return;
  legacy_loaded_ = true;
  std::string text;
  if (read_file(legacy_filenames_path(StoreLayout{roots_.data}), text) != 0) return;  // no plugin lists any
  legacy_plugins_ = parse_legacy_filenames(text);
  for (const auto& p : legacy_plugins_)
    for (const auto& n : p.names) legacy_files_.emplace_back(n, p.tool);
  legacy_present_.assign(legacy_files_.size(), 0);
}

bool RequestFinder::legacy_replaces_builtin(std::string_view tool) const {
  for (const auto& p : legacy_plugins_)
    if (p.tool == tool) return true;
  return false;
}

// Not reported to on_read_: tracked configs are re-read without a plugin
// (DESIGN.md §7), and a legacy file is readable only through one.
Expected<const ConfigFile*> RequestFinder::load_legacy(const std::string& path, const std::string& tool) {
  std::string key = path + '\n' + tool;  // two plugins may list one name
  for (const auto& [p, f] : cache_)
    if (p == key) return static_cast<const ConfigFile*>(f.get());
  const ConfigFile* none = nullptr;
  ConfigRead file;
  auto counted = read_counted(path, key, file);
  if (!counted) return Error{counted.error()};
  if (!*counted) return none;

  ToolEntry entry{tool, {}, 1};
  std::string plugin = roots_.data + "/plugins/" + tool;
  if (is_executable_file(plugin + "/bin/parse-legacy-file")) {
    LegacyAnswer want{tool, path, file.identity, {}};
    const LegacyAnswer* hit = find_legacy_answer(legacy_handed_, want);
    if (!hit) {
      if (!legacy_cache_loaded_) {
        legacy_cache_loaded_ = true;
        std::string text;
        if (read_file(legacy_versions_path(StoreLayout{roots_.data}), text) == 0)
          legacy_cached_ = parse_legacy_answers(text);
      }
      hit = find_legacy_answer(legacy_cached_, want);
    }
    if (hit) {
      entry.specs.push_back(hit->version);
    } else if (legacy_parser_) {
      auto version = legacy_parser_(want);
      if (!version) return Error{version.error()};
      entry.specs.push_back(std::move(*version));
    } else {
      legacy_miss_ = std::move(want);
      return make_error(path + ": plugin " + tool +
                        "'s bin/parse-legacy-file has not read this file yet: run 'rtx current " + tool + "' here");
    }
  } else {
    auto version = legacy_file_version(path, file.text);
    if (!version) return Error{version.error()};
    if (version->first.empty()) {  // holds no version: asks for nothing
      cache_.emplace_back(key, std::make_unique<ConfigFile>(ConfigFile{path, {}}));
      return static_cast<const ConfigFile*>(cache_.back().second.get());
    }
    entry.specs.push_back(std::move(version->first));
    entry.line = version->second;
  }
  ConfigFile config{path, {}};
  config.tools.push_back(std::move(entry));
  cache_.emplace_back(key, std::make_unique<ConfigFile>(std::move(config)));
  return static_cast<const ConfigFile*>(cache_.back().second.get());
}

namespace {

// Which of kConfigNames (bits 0-4) and kIdiomaticFiles (bits 5-11) `dir`
// holds, as a bit mask: one directory listing (open + getdents64 + close)
// instead of a failed open per name and level.
constexpr unsigned kIdiomaticBit = std::size(kConfigNames);
static_assert(kIdiomaticBit + kIdiomaticCount <= 32);

// kConfigNames then kIdiomaticFiles' names, as string_views (sizes known).
constexpr auto kNames = [] {
  std::array<std::string_view, kIdiomaticBit + kIdiomaticCount> names{};
  for (unsigned i = 0; i < kIdiomaticBit; ++i) names[i] = kConfigNames[i];
  for (unsigned i = 0; i < kIdiomaticCount; ++i) names[kIdiomaticBit + i] = kIdiomaticFiles[i].name;
  return names;
}();

// Also marks, in `legacy_present`, which of the plugins' legacy file names
// (`legacy`) it holds.
unsigned config_names_in(const std::string& dir, const std::vector<std::pair<std::string, std::string>>& legacy,
                         std::vector<unsigned char>& legacy_present) {
  std::fill(legacy_present.begin(), legacy_present.end(), 0);
  int fd = ::open(dir.c_str(), O_RDONLY | O_DIRECTORY | O_CLOEXEC);
  if (fd < 0) return 0;
  unsigned present = 0;
  // Small: on a VM each fresh stack page costs a shim more than one more
  // getdents64 for a large directory (a larger frame is also probed page by
  // page, stack clash protection).
  alignas(8) char buf[2048];
  for (;;) {
    long n = ::getdents64(fd, buf, sizeof buf);
    if (n <= 0) break;
    for (long off = 0; off < n;) {
      auto* d = reinterpret_cast<struct dirent64*>(buf + off);
      off += d->d_reclen;
      const char* name = d->d_name;
      std::string_view n(name);
      for (std::size_t i = 0; i < legacy.size(); ++i)
        if (n == legacy[i].first) legacy_present[i] = 1;
      if (name[0] != '.' && name[0] != 'r' && name[0] != 'm') continue;
      // Lengths first: most entries (".git", "src") match no name's length.
      for (unsigned i = 0; i < std::size(kNames); ++i)
        if (n == kNames[i]) present |= 1u << i;
    }
  }
  ::close(fd);
  return present;
}

}  // namespace

Status RequestFinder::walk(const std::function<bool(const ConfigFile&)>& visit,
                           const std::function<bool(std::string_view)>& wants_legacy) {
  bool stop = false;
  auto try_file = [&](const std::string& path, const IdiomaticFile* idiomatic = nullptr) -> Status {
    auto f = load(path, idiomatic);
    if (!f) return Error{f.error()};
    if (*f && visit(**f)) stop = true;
    return ok_status();
  };
  // Only an absolute working directory is walked (a relative $PWD fallback
  // would never reach "/"); the global configs apply either way.
  std::string dir = cwd_;
  while (dir.size() > 1 && dir.back() == '/') dir.pop_back();
  if (!dir.empty() && dir[0] == '/') {
    load_legacy_names();
    for (;;) {
      unsigned present = config_names_in(dir, legacy_files_, legacy_present_);
      for (unsigned i = 0; present && i < std::size(kConfigNames); ++i) {
        if (!(present & (1u << i))) continue;
        if (auto st = try_file((dir == "/" ? "" : dir) + "/" + kConfigNames[i]); !st) return st;
        if (stop) return ok_status();
      }
      // Idiomatic files rank after every config file of the same directory.
      for (unsigned i = 0; (present >> kIdiomaticBit) && i < kIdiomaticCount; ++i) {
        const IdiomaticFile& file = kIdiomaticFiles[i];
        if (!(present & (1u << (kIdiomaticBit + i))) || legacy_replaces_builtin(file.tool) ||
            !idiomatic_enabled(file.tool))
          continue;
        if (auto st = try_file((dir == "/" ? "" : dir) + "/" + file.name, &file); !st) return st;
        if (stop) return ok_status();
      }
      // Then the asdf plugins' legacy files, in the record's order (DESIGN.md §4).
      for (std::size_t i = 0; i < legacy_files_.size(); ++i) {
        const auto& [name, tool] = legacy_files_[i];
        if (!legacy_present_[i] || !wants_legacy(tool) || !idiomatic_enabled(tool)) continue;
        auto f = load_legacy((dir == "/" ? "" : dir) + "/" + name, tool);
        if (!f) return Error{f.error()};
        if (*f && visit(**f)) return ok_status();
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
  auto st = walk(
      [&](const ConfigFile& f) {
        const ToolEntry* e = f.find(tool);
        if (!e) return false;
        found = request_from(*e, f.path);
        return true;
      },
      [&](std::string_view t) { return t == tool; });
  if (!st) return Error{st.error()};
  return found;
}

Expected<std::vector<Request>> RequestFinder::all() {
  std::vector<Request> out;
  Status inner = ok_status();
  auto listed = [&](std::string_view tool) {
    for (const auto& r : out)
      if (r.tool == tool) return true;
    return false;
  };
  auto st = walk(
      [&](const ConfigFile& f) {
        for (const auto& e : f.tools) {
          if (listed(e.tool)) continue;
          std::string var = version_env_var(e.tool);
          auto req = std::getenv(var.c_str()) ? find(e.tool) : request_from(e, f.path);
          if (!req) {
            inner = Error{req.error()};
            return true;
          }
          out.push_back(std::move(*req));
        }
        return false;
      },
      [&](std::string_view tool) { return !listed(tool); });
  if (!st) return Error{st.error()};
  if (!inner) return Error{inner.error()};
  return out;
}

}  // namespace rtx::resolver
