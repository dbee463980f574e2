// plugins/<name>: asdf plugins, linked from a local folder (`rtx plugins link`).
#pragma once

#include <memory>
#include <string>
#include <vector>

#include "manager/backends/backend.hpp"
#include "manager/backends/backend_env.hpp"
#include "resolver/expected.hpp"
#include "resolver/store_layout.hpp"

namespace rtx::backends {

struct PluginInfo {
  std::string name;
  std::string dir;  // where the plugin's files are
};

Status link_plugin(const resolver::StoreLayout& layout, const std::string& name, const std::string& dir);
std::vector<PluginInfo> list_plugins(const resolver::StoreLayout& layout);

// The backend for a tool: its asdf plugin if one is added or linked, else a
// core or npm backend, else an error saying how to add a plugin.
Expected<std::unique_ptr<Backend>> backend_for(const BackendEnv& env, const std::string& tool);

}  // namespace rtx::backends
