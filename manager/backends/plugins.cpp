#include "manager/backends/plugins.hpp"

#include <dirent.h>
#include <sys/stat.h>

#include <algorithm>

#include "manager/backends/asdf_plugin.hpp"
#include "manager/backends/core/core_backends.hpp"
#include "manager/backends/registry.hpp"
#include "manager/store/atomic_file.hpp"
#include "manager/util/fs.hpp"
#include "resolver/config_file.hpp"
#include "resolver/file_io.hpp"

namespace rtx::backends {

Status link_plugin(const resolver::StoreLayout& layout, const std::string& name, const std::string& dir) {
  if (auto st = resolver::validate_tool_name(name); !st) return st;
  if (name.find('/') != std::string::npos || name.find(':') != std::string::npos)
    return make_error("plugin name '" + name + "' may not contain '/' or ':': use a plain name like nodejs");
  struct stat st {};
  if (::stat(dir.c_str(), &st) != 0 || !S_ISDIR(st.st_mode))
    return make_error("plugin folder " + dir + " does not exist: give the folder holding bin/list-all");
  if (!resolver::is_executable_file(dir + "/bin/list-all") || !resolver::is_executable_file(dir + "/bin/install"))
    return make_error(dir + " is not an asdf plugin: it needs executable bin/list-all and bin/install");
  if (auto s = util::make_dirs(layout.plugins_dir()); !s) return s;
  return store::replace_symlink(layout.plugins_dir() + "/" + name, dir);
}

std::vector<PluginInfo> list_plugins(const resolver::StoreLayout& layout) {
  std::vector<PluginInfo> out;
  if (DIR* d = ::opendir(layout.plugins_dir().c_str())) {
    while (dirent* de = ::readdir(d)) {
      if (de->d_name[0] == '.') continue;
      std::string path = layout.plugins_dir() + "/" + de->d_name;
      std::string target = resolver::read_link(path);
      out.push_back(PluginInfo{de->d_name, target.empty() ? path : target});
    }
    ::closedir(d);
  }
  std::sort(out.begin(), out.end(), [](const auto& a, const auto& b) { return a.name < b.name; });
  return out;
}

Expected<std::unique_ptr<Backend>> backend_for(const BackendEnv& env, const std::string& tool) {
  const resolver::StoreLayout& layout = env.layout;
  std::string dir = layout.plugins_dir() + "/" + tool;
  if (!util::exists(dir)) {
    if (auto core = core::make_core_backend(env, tool)) return core;
    auto known = registry_lookup(tool);
    if (known && known->kind == RegistryEntry::Kind::Asdf)
      return make_error("tool '" + tool + "' needs its asdf plugin: run 'rtx plugins add " + tool + "' (" +
                        known->target + ")");
    return make_error("unknown tool '" + tool + "': no plugin " + dir + ": add one with 'rtx plugins add " + tool +
                      " GIT_URL' or 'rtx plugins link " + tool + " DIR'");
  }
  return std::unique_ptr<Backend>(std::make_unique<AsdfPlugin>(tool, dir, timeouts_from_env(), env.cache_dir));
}

}  // namespace rtx::backends
