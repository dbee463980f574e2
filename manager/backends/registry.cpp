#include "manager/backends/registry.hpp"

#include "resolver/toml.hpp"

namespace rtx::backends {

extern const char* const kRegistryToml;  // registry_data.cpp, generated from share/registry.toml

namespace {

// The [tools] table of the compiled-in registry, parsed once; null if absent.
const toml::table* registry_tools() {
  static const toml::parse_result parsed =
      toml::parse(std::string_view(kRegistryToml), std::string_view("share/registry.toml"));
  if (!parsed) return nullptr;  // the build checks it parses (tests/manager)
  return parsed.table().at_path("tools").as_table();
}

}  // namespace

std::vector<std::string> registry_names() {
  std::vector<std::string> names;
  if (const auto* tools = registry_tools())
    for (const auto& [key, value] : *tools) names.emplace_back(key.str());
  return names;
}

std::optional<RegistryEntry> registry_lookup(std::string_view tool) {
  const auto* value = registry_tools();
  if (!value) return std::nullopt;
  const auto* entry = value->get(tool);
  if (!entry || !entry->is_string()) return std::nullopt;
  std::string_view text = entry->as_string()->get();
  for (auto [prefix, kind] : {std::pair{std::string_view("core:"), RegistryEntry::Kind::Core},
                              std::pair{std::string_view("npm:"), RegistryEntry::Kind::Npm},
                              std::pair{std::string_view("asdf:"), RegistryEntry::Kind::Asdf}})
    if (text.substr(0, prefix.size()) == prefix) return RegistryEntry{kind, std::string(text.substr(prefix.size()))};
  return std::nullopt;
}

}  // namespace rtx::backends
