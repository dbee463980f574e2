#include "manager/backends/core/npmrc.hpp"

#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <cstdlib>
#include <cstring>
#include <utility>
#include <vector>

#include <openssl/evp.h>

#include "manager/util/fs.hpp"
#include "resolver/file_io.hpp"

extern char** environ;

namespace rtx::backends::core {
namespace {

std::string_view npmrc_trim(std::string_view s) {
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

// "https://host:8080/a/b/" -> "//host:8080/a/b/" (npm's nerf dart: no scheme,
// query or fragment, a trailing '/').
std::string nerf_dart(std::string_view url) {
  std::size_t scheme = url.find("://");
  std::string_view rest = scheme == std::string_view::npos ? url : url.substr(scheme + 1);
  rest = rest.substr(0, rest.find_first_of("?#"));
  std::string out(rest);
  if (out.empty() || out.back() != '/') out += '/';
  return out;
}

// "//host:port/" of a nerf dart or URL.
std::string host_of(std::string_view url) {
  std::string dart = nerf_dart(url);
  std::size_t slash = dart.find('/', 2);
  return dart.substr(0, slash == std::string::npos ? dart.size() : slash + 1);
}

std::string base64(std::string_view bytes) {
  std::string out(4 * ((bytes.size() + 2) / 3) + 1, '\0');
  int n = EVP_EncodeBlock(reinterpret_cast<unsigned char*>(out.data()),
                          reinterpret_cast<const unsigned char*>(bytes.data()), static_cast<int>(bytes.size()));
  out.resize(n < 0 ? 0 : static_cast<std::size_t>(n));
  return out;
}

std::optional<std::string> unbase64(std::string_view text) {
  if (text.empty() || text.size() % 4 != 0) return std::nullopt;
  std::string out(3 * (text.size() / 4) + 1, '\0');
  int n = EVP_DecodeBlock(reinterpret_cast<unsigned char*>(out.data()),
                          reinterpret_cast<const unsigned char*>(text.data()), static_cast<int>(text.size()));
  if (n < 0) return std::nullopt;
  std::size_t pad = text.size() - text.find_last_not_of('=') - 1;  // DecodeBlock keeps the padding's zeros
  out.resize(static_cast<std::size_t>(n) - std::min<std::size_t>(pad, 2));
  return out;
}

// The first layer setting `key`, as (value, path); nullopt when none does.
Expected<std::optional<std::pair<std::string, std::string>>> layered_value(const std::vector<Layer>& layers,
                                                                           const std::string& key) {
  for (const Layer& layer : layers) {
    auto v = npmrc_value(layer.text, key, layer.path);
    if (!v) return Error{v.error()};
    if (*v && !(*v)->empty()) return std::optional(std::pair{**v, layer.path});
  }
  return std::optional<std::pair<std::string, std::string>>();
}

// The credentials set for exactly `dart` into `reg`; false when it has none.
Expected<bool> credentials_at(const std::vector<Layer>& layers, const std::string& dart, NpmRegistry& reg) {
  struct Direct {
    const char* key;
    const char* scheme;
  };
  for (Direct d : {Direct{":_authToken", "Bearer "}, Direct{":_auth", "Basic "}}) {
    auto value = layered_value(layers, dart + d.key);
    if (!value) return Error{value.error()};
    if (*value) {
      reg.authorization = d.scheme + (*value)->first;
      reg.auth_source = dart + d.key + " in " + (*value)->second;
      return true;
    }
  }
  auto user = layered_value(layers, dart + ":username");
  if (!user) return Error{user.error()};
  if (!*user) return false;
  auto password = layered_value(layers, dart + ":_password");
  if (!password) return Error{password.error()};
  std::optional<std::string> plain = *password ? unbase64((*password)->first) : std::nullopt;
  if (!plain)
    return make_error((*user)->second + " sets " + dart + ":username without a base64 " + dart +
                      ":_password: set both (or an _authToken) there");
  reg.authorization = "Basic " + base64((*user)->first + ":" + *plain);
  reg.auth_source = dart + ":username in " + (*user)->second;
  return true;
}

// The registry's credentials from the layers (see the header), walking from
// its own path up to its host.
Status find_credentials(const std::vector<Layer>& layers, NpmRegistry& reg) {
  std::string dart = nerf_dart(reg.url);
  const std::size_t host_end = host_of(dart).size();
  for (;;) {
    auto found = credentials_at(layers, dart, reg);
    if (!found) return Error{found.error()};
    if (*found || dart.size() <= host_end) return ok_status();
    dart.pop_back();
    dart.erase(dart.rfind('/') + 1);  // up one path segment
  }
}

}  // namespace

std::vector<std::string> npm_request_headers(const NpmRegistry& registry, std::string_view url) {
  if (registry.authorization.empty() || host_of(url) != host_of(registry.url)) return {};
  return {"Authorization: " + registry.authorization};
}

Expected<std::optional<std::string>> npmrc_value(std::string_view text, std::string_view key, const std::string& path) {
  std::optional<std::string> found;
  std::size_t pos = 0;
  while (pos <= text.size()) {
    std::size_t nl = text.find('\n', pos);
    std::string_view line =
        npmrc_trim(text.substr(pos, nl == std::string_view::npos ? std::string_view::npos : nl - pos));
    pos = nl == std::string_view::npos ? text.size() + 1 : nl + 1;
    if (line.empty() || line[0] == ';' || line[0] == '#' || line[0] == '[') continue;
    std::size_t eq = line.find('=');
    if (eq == std::string_view::npos || npmrc_trim(line.substr(0, eq)) != key) continue;
    std::string_view value = npmrc_trim(line.substr(eq + 1));
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
      out.url = v->first;
      out.source = v->second + " in the environment";
      break;
    }
    for (const Layer& layer : layers) {
      auto v = npmrc_value(layer.text, key, layer.path);
      if (!v) return Error{v.error()};
      if (*v && !(*v)->empty()) {
        out.url = **v;
        out.source = layer.path;
        break;
      }
    }
    if (!out.url.empty()) break;
  }
  if (out.url.empty()) {
    out.url = "https://registry.npmjs.org/";
    out.source = "npm's default";
  }
  std::size_t scheme = out.url.rfind("https://", 0) == 0 ? 8 : out.url.rfind("http://", 0) == 0 ? 7 : 0;
  if (scheme == 0 || out.url.size() == scheme || out.url[scheme] == '/' || out.url[scheme] == ':')
    return make_error("the npm registry '" + out.url + "' (from " + out.source +
                      ") is not an http:// or https:// URL with a host: fix it there");
  while (!out.url.empty() && out.url.back() == '/') out.url.pop_back();
  if (auto st = find_credentials(layers, out); !st) return Error{st.error()};
  return out;
}

}  // namespace rtx::backends::core
