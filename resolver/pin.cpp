#include "resolver/pin.hpp"

#include <sys/stat.h>

#include <algorithm>

#include "resolver/build_meta.hpp"
#include "resolver/version_spec.hpp"

namespace rtx::resolver {

std::string pin_env_var(std::string_view tool) {
  std::string var = version_env_var(tool);  // RTX_<TOOL>_VERSION
  return "RTX_PIN_" + var.substr(4, var.size() - 4 - 8);
}

std::string encode_pin(const Pin& pin) { return pin.tool + "\t" + pin.request + "\t" + pin.entry_path; }

std::optional<Pin> decode_pin(std::string_view value) {
  std::size_t first = value.find('\t');
  if (first == std::string_view::npos || first == 0) return std::nullopt;
  std::size_t second = value.find('\t', first + 1);
  if (second == std::string_view::npos || second + 1 >= value.size() || value[second + 1] != '/') return std::nullopt;
  return Pin{std::string(value.substr(0, first)), std::string(value.substr(first + 1, second - first - 1)),
             std::string(value.substr(second + 1))};
}

namespace {

bool is_real_dir(const std::string& path) {
  struct stat st {};
  return ::lstat(path.c_str(), &st) == 0 && S_ISDIR(st.st_mode);
}

bool version_satisfies(const Request& request, const std::string& version, const std::string& entry_path) {
  bool aliases_read = false;
  BuildMeta meta;
  for (const VersionSpec& spec : request.specs) {
    if (spec_matches(spec, version)) return true;
    if (spec.kind != SpecKind::Version) continue;
    if (!aliases_read) {
      meta = load_build_meta(entry_path);
      aliases_read = true;
    }
    if (std::find(meta.aliases.begin(), meta.aliases.end(), spec.text) != meta.aliases.end()) return true;
  }
  return false;
}

}  // namespace

std::string pin_mismatch(const StoreLayout& layout, const Request& request, const Pin& pin) {
  if (pin.tool != request.tool) return "it was made for " + pin.tool;
  if (pin.request != request.joined()) return "it was made for the request '" + pin.request + "'";
  std::string store = layout.store_dir(request.tool);
  const std::string& path = pin.entry_path;
  if (path.size() <= store.size() + 1 || path.compare(0, store.size(), store) != 0 || path[store.size()] != '/')
    return "its build is not in " + store;
  std::string entry = path.substr(store.size() + 1);
  std::size_t dash = entry.rfind('-');
  if (entry.find('/') != std::string::npos || entry.find("..") != std::string::npos || dash == 0 ||
      dash == std::string::npos)
    return "its build is not an entry of " + store;
  // The store's own folders, never a symlink out of it (the data dir itself may be one).
  if (!is_real_dir(store) || !is_real_dir(path)) return "its build is not a folder of " + store;
  if (!version_satisfies(request, entry.substr(0, dash), path))
    return "its version " + entry.substr(0, dash) + " does not satisfy '" + request.joined() + "'";
  return {};
}

}  // namespace rtx::resolver
