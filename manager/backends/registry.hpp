// The short registry (share/registry.toml, compiled in): common tool names to
// a core backend, an npm package, or an asdf plugin's git URL.
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace rtx::backends {

struct RegistryEntry {
  enum class Kind { Core, Npm, Asdf } kind;
  std::string target;  // core name, npm package, or git URL
};

std::optional<RegistryEntry> registry_lookup(std::string_view tool);

// Every short name the registry knows, in its file's order.
std::vector<std::string> registry_names();

}  // namespace rtx::backends
