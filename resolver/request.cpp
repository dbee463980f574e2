#include "resolver/request.hpp"

#include <cerrno>
#include <cstdlib>
#include <cstring>

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

Expected<const ConfigFile*> RequestFinder::load(const std::string& path) {
  for (const auto& [p, f] : cache_)
    if (p == path) return static_cast<const ConfigFile*>(f.get());
  std::string text;
  int err = read_file(path, text);
  if (err == ENOENT || err == ENOTDIR || err == EISDIR) {
    cache_.emplace_back(path, nullptr);
    return static_cast<const ConfigFile*>(nullptr);
  }
  if (err)
    return make_error(path + ": cannot read: " + std::strerror(err) + ": fix its permissions or remove it");
  auto parsed = parse_config(path, text, format_of(path));
  if (!parsed) return Error{parsed.error()};
  if (on_read_) on_read_(path);
  cache_.emplace_back(path, std::make_unique<ConfigFile>(std::move(*parsed)));
  return static_cast<const ConfigFile*>(cache_.back().second.get());
}

Status RequestFinder::walk(const std::function<bool(const ConfigFile&)>& visit) {
  auto try_file = [&](const std::string& path, bool& stop) -> Status {
    auto f = load(path);
    if (!f) return Error{f.error()};
    if (*f && visit(**f)) stop = true;
    return ok_status();
  };
  bool stop = false;
  std::string dir = cwd_;
  for (;;) {
    std::string base = dir == "/" ? std::string() : dir;
    for (const char* name : kConfigNames) {
      if (auto st = try_file(base + "/" + name, stop); !st) return st;
      if (stop) return ok_status();
    }
    if (dir == "/" || dir.empty()) break;
    std::size_t slash = dir.rfind('/');
    dir = slash == 0 ? "/" : dir.substr(0, slash);
  }
  if (auto st = try_file(roots_.config + "/config.toml", stop); !st || stop) return st;
  if (!roots_.home.empty()) return try_file(roots_.home + "/.tool-versions", stop);
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
