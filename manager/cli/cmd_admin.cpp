// rtx reshim, rtx plugins link|ls|add|update|remove (rtx doctor: cmd_doctor.cpp).
#include <fmt/core.h>

#include "manager/backends/legacy_record.hpp"
#include "manager/backends/plugin_git.hpp"
#include "manager/backends/plugins.hpp"
#include "manager/cli/commands.hpp"
#include "manager/store/reshim.hpp"
#include "manager/util/fs.hpp"
#include "manager/util/json.hpp"
#include "manager/util/table.hpp"
#include "resolver/file_io.hpp"

namespace rtx::cli {
namespace {

// What the shim knows of plugins' legacy files is recorded whenever a plugin
// or the shims change (DESIGN.md §4); a refused list is a warning, not a failure.
void rerecord_legacy_files(const Context& ctx, const std::vector<std::string>& tools, bool plugin_changed) {
  for (const auto& warning : backends::record_legacy_filenames(ctx.layout, tools, plugin_changed)) note(warning);
}

}  // namespace

int cmd_reshim(Context& ctx) {
  if (auto st = store::reshim(ctx.layout, ctx.shim_binary); !st) return fail(st.error());
  rerecord_legacy_files(ctx, {}, false);
  note("shims rewritten in " + ctx.layout.shims_dir());
  return kExitOk;
}

int cmd_plugins_link(Context& ctx, const std::string& name, const std::string& dir) {
  std::string abs = util::absolute(dir, ctx.cwd);
  if (auto st = backends::link_plugin(ctx.layout, name, abs); !st) return fail(st.error());
  rerecord_legacy_files(ctx, {name}, true);
  note("linked plugin " + name + " -> " + abs);
  return kExitOk;
}

int cmd_plugins_ls(Context& ctx, bool json) {
  auto plugins = backends::list_plugins(ctx.layout);
  if (json) {
    boost::json::array out;
    for (const auto& p : plugins)
      out.push_back(boost::json::object{{"name", util::json_text(p.name)}, {"dir", util::json_text(p.dir)}});
    util::print_json(out);
    return kExitOk;
  }
  std::vector<std::vector<std::string>> table;
  for (const auto& p : plugins) table.push_back({p.name, p.dir});
  fmt::print("{}", util::format_table(table));
  return kExitOk;
}

int cmd_plugins_add(Context& ctx, const std::string& name, const std::string& url,
                    const std::optional<std::string>& ref) {
  if (auto st = backends::add_plugin_from_git(ctx.layout, name, url, ref); !st) return fail(st.error());
  rerecord_legacy_files(ctx, {name}, true);
  note("added plugin " + name + (ref ? " at " + *ref : std::string()));
  return kExitOk;
}

int cmd_plugins_update(Context& ctx, const std::vector<std::string>& names) {
  std::vector<std::string> todo = names;
  if (todo.empty())
    for (const auto& p : backends::list_plugins(ctx.layout))
      if (resolver::read_link(ctx.layout.plugins_dir() + "/" + p.name).empty()) todo.push_back(p.name);
  int status = kExitOk;
  for (const auto& name : todo) {
    if (auto st = backends::update_plugin(ctx.layout, name); !st)
      status = fail(st.error());
    else
      note("updated plugin " + name);
  }
  if (!todo.empty()) rerecord_legacy_files(ctx, todo, true);
  return status;
}

int cmd_plugins_remove(Context& ctx, const std::string& name) {
  if (auto st = backends::remove_plugin(ctx.layout, name); !st) return fail(st.error());
  rerecord_legacy_files(ctx, {name}, true);
  note("removed plugin " + name + "; its installed versions stay usable (see 'rtx ls')");
  return kExitOk;
}

}  // namespace rtx::cli
