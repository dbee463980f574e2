#include "manager/backends/core/npmrc.hpp"

#include <unistd.h>

#include <cerrno>
#include <cstdlib>
#include <cstring>
#include <utility>
#include <vector>

#include "manager/util/fs.hpp"
#include "resolver/file_io.hpp"

extern char** environ;

namespace rtx::backends::core {
namespace {

std::string_view trim(std::string_view s) {
  while (!s.empty() && (s.front() == ' ' || s.front() == '\t' || s.front() == '\r')) s.remove_prefix(1);
  while (!s.empty() && (s.back() == ' ' || s.back() == '\t' || s.back() == '\r')) s.remove_suffix(1);
  return s;
}

bool iequals(std::string_view a, std::string_view b) {
  if (a.size() != b.size()) return false;
  for (std::size_t i = 0; i < a.size(); ++i)
    if (std::tolower(static_cast<unsigned char>(a[i])) != std::tolower(static_cast<unsigned char>(b[i]))) return false;
  return true;
}

// npm reads npm_config_* case-insensitively (NPM_CONFIG_REGISTRY works too).
// The value, and the variable's name as set, for messages.
std::optional<std::pair<std::string, std::string>> env_config(std::string_view key) {
  std::string wanted = "npm_config_" + std::string(key);
  for (char** e = environ; *e; ++e) {
    std::string_view kv(*e);
    std::size_t eq = kv.find('=');
    if (eq == std::string_view::npos || !iequals(kv.substr(0, eq), wanted)) continue;
    if (eq + 1 < kv.size()) return std::pair{std::string(kv.substr(eq + 1)), std::string(kv.substr(0, eq))};
  }
  return std::nullopt;
}

// ${VAR} (and ${VAR?}, empty when unset) as npm expands them in .npmrc values.
Expected<std::string> expand(std::string_view value, const std::string& path) {
  std::string out;
  std::size_t i = 0;
  while (i < value.size()) {
    std::size_t open = value.find("${", i);
    std::size_t close = open == std::string_view::npos ? open : value.find('}', open);
    if (close == std::string_view::npos) {
      out += value.substr(i);
      break;
    }
    out += value.substr(i, open - i);
    std::string name(value.substr(open + 2, close - open - 2));
    bool optional = !name.empty() && name.back() == '?';
    if (optional) name.pop_back();
    const char* v = std::getenv(name.c_str());
    if (!v && !optional) return make_error(path + " uses ${" + name + "}, which is not set: set it or edit " + path);
    out += v ? v : "";
    i = close + 1;
  }
  return out;
}

struct Layer {
  std::string path;
  std::string text;
};

Expected<std::optional<Layer>> read_layer(const std::string& path) {
  Layer layer{path, {}};
  int err = resolver::read_file(path, layer.text);
  if (err == ENOENT || err == ENOTDIR) return std::optional<Layer>();
  if (err) return make_error("cannot read " + path + ": " + std::strerror(err) + ": fix its permissions");
  return std::optional<Layer>(std::move(layer));
}

// npm's local prefix: the nearest folder with package.json or node_modules.
std::string project_dir() {
  char buf[4096];
  if (!::getcwd(buf, sizeof buf)) return {};
  std::string cwd = buf;
  for (std::string dir = cwd;;) {
    if (util::exists(dir + "/package.json") || util::exists(dir + "/node_modules")) return dir;
    if (dir == "/" || dir.empty()) break;
    std::size_t slash = dir.rfind('/');
    dir = slash == 0 ? "/" : dir.substr(0, slash);
  }
  return cwd;
}

std::string user_config_path() {
  if (auto v = env_config("userconfig")) return v->first;
  const char* home = std::getenv("HOME");
  return home && *home ? std::string(home) + "/.npmrc" : std::string();
}

}  // namespace

Expected<std::optional<std::string>> npmrc_value(std::string_view text, std::string_view key, const std::string& path) {
  std::optional<std::string> found;
  std::size_t pos = 0;
  while (pos <= text.size()) {
    std::size_t nl = text.find('\n', pos);
    std::string_view line = trim(text.substr(pos, nl == std::string_view::npos ? std::string_view::npos : nl - pos));
    pos = nl == std::string_view::npos ? text.size() + 1 : nl + 1;
    if (line.empty() || line[0] == ';' || line[0] == '#' || line[0] == '[') continue;
    std::size_t eq = line.find('=');
    if (eq == std::string_view::npos || trim(line.substr(0, eq)) != key) continue;
    std::string_view value = trim(line.substr(eq + 1));
    if (value.size() >= 2 && (value.front() == '"' || value.front() == '\'') && value.back() == value.front())
      value = value.substr(1, value.size() - 2);
    auto expanded = expand(value, path);
    if (!expanded) return Error{expanded.error()};
    found = *expanded;  // the last assignment wins, as in npm's ini parser
  }
  return found;
}

Expected<NpmRegistry> npm_registry(std::string_view package) {
  std::vector<std::string> keys;
  if (!package.empty() && package[0] == '@' && package.find('/') != std::string_view::npos)
    keys.push_back(std::string(package.substr(0, package.find('/'))) + ":registry");
  keys.emplace_back("registry");

  std::vector<Layer> layers;
  std::string project = project_dir();
  std::string user = user_config_path();
  for (const std::string& path : {project.empty() ? std::string() : project + "/.npmrc", user}) {
    if (path.empty() || (!layers.empty() && layers.back().path == path)) continue;
    auto layer = read_layer(path);
    if (!layer) return Error{layer.error()};
    if (*layer) layers.push_back(std::move(**layer));
  }

  NpmRegistry out;
  for (const std::string& key : keys) {
    if (auto v = env_config(key)) {
      out = NpmRegistry{v->first, v->second + " in the environment"};
      break;
    }
    for (const Layer& layer : layers) {
      auto v = npmrc_value(layer.text, key, layer.path);
      if (!v) return Error{v.error()};
      if (*v && !(*v)->empty()) {
        out = NpmRegistry{**v, layer.path};
        break;
      }
    }
    if (!out.url.empty()) break;
  }
  if (out.url.empty()) out = NpmRegistry{"https://registry.npmjs.org/", "npm's default"};
  if (out.url.rfind("http://", 0) != 0 && out.url.rfind("https://", 0) != 0)
    return make_error("the npm registry '" + out.url + "' (from " + out.source +
                      ") is not an http:// or https:// URL: fix it there");
  while (!out.url.empty() && out.url.back() == '/') out.url.pop_back();
  return out;
}

}  // namespace rtx::backends::core
