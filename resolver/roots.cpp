#include "resolver/roots.hpp"

#include <cstdlib>

namespace rtx::resolver {
namespace {

const char* env(const char* name) {
  const char* v = std::getenv(name);
  return (v && *v) ? v : nullptr;
}

Expected<std::string> root(const char* var, const char* xdg_var, const char* home_default, const char* leaf,
                           const std::string& home) {
  if (const char* v = env(var)) {
    if (v[0] != '/') return make_error(std::string(var) + "='" + v + "' is not an absolute path: set it to one");
    return std::string(v);
  }
  if (const char* x = env(xdg_var); x && x[0] == '/') return std::string(x) + "/" + leaf;
  if (home.empty())
    return make_error(std::string("HOME is not set, so there is no default for ") + var + ": set HOME or " + var);
  return home + home_default + leaf;
}

}  // namespace

Expected<Roots> roots_from_env() {
  Roots r;
  if (const char* h = env("HOME")) r.home = h;
  auto data = root("RTX_DATA_DIR", "XDG_DATA_HOME", "/.local/share/", "rtx", r.home);
  if (!data) return Error{data.error()};
  auto config = root("RTX_CONFIG_DIR", "XDG_CONFIG_HOME", "/.config/", "rtx", r.home);
  if (!config) return Error{config.error()};
  auto cache = root("RTX_CACHE_DIR", "XDG_CACHE_HOME", "/.cache/", "rtx", r.home);
  if (!cache) return Error{cache.error()};
  auto state = root("RTX_STATE_DIR", "XDG_STATE_HOME", "/.local/state/", "rtx", r.home);
  if (!state) return Error{state.error()};
  r.data = std::move(*data);
  r.config = std::move(*config);
  r.cache = std::move(*cache);
  r.state = std::move(*state);
  return r;
}

}  // namespace rtx::resolver
