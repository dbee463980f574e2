// rtx reshim, rtx plugins link|ls, rtx doctor.
#include <fmt/core.h>

#include <cstdlib>

#include "manager/backends/plugin_git.hpp"
#include "manager/backends/plugins.hpp"
#include "manager/cli/commands.hpp"
#include "manager/store/recovery.hpp"
#include "manager/store/reshim.hpp"
#include "manager/util/fs.hpp"
#include "manager/util/json.hpp"
#include "manager/util/root_safety.hpp"
#include "manager/util/table.hpp"
#include "resolver/file_io.hpp"
#include "resolver/printable.hpp"

namespace rtx::cli {

int cmd_reshim(Context& ctx) {
  if (auto st = store::reshim(ctx.layout, ctx.shim_binary); !st) return fail(st.error());
  note("shims rewritten in " + ctx.layout.shims_dir());
  return kExitOk;
}

int cmd_plugins_link(Context& ctx, const std::string& name, const std::string& dir) {
  std::string abs = util::absolute(dir, ctx.cwd);
  if (auto st = backends::link_plugin(ctx.layout, name, abs); !st) return fail(st.error());
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
  return status;
}

int cmd_plugins_remove(Context& ctx, const std::string& name) {
  if (auto st = backends::remove_plugin(ctx.layout, name); !st) return fail(st.error());
  note("removed plugin " + name + "; its installed versions stay usable (see 'rtx ls')");
  return kExitOk;
}

int cmd_doctor(Context& ctx) {
  int problems = 0;
  std::vector<util::UnsafeRoot> unsafe = util::unsafe_roots(ctx.roots);
  for (const auto& u : unsafe) {
    fmt::print("problem: {} {}: another user could choose what your tools run: {}\n", resolver::printable(u.path),
               u.problem, resolver::printable(u.fix));
    ++problems;
  }
  if (unsafe.empty()) {  // repairing a folder someone else can write would act on their files
    auto report = store::recover_store(ctx.layout, ctx.shim_binary, ctx.roots.state, ctx.download_root());
    for (const auto& a : report.actions) fmt::print("repaired: {}\n", a);
  }
  if (!util::exists(ctx.shim_binary)) {
    fmt::print("problem: the shim binary {} is missing: reinstall rtx or set RTX_SHIM_BINARY\n", ctx.shim_binary);
    ++problems;
  }
  const char* path = std::getenv("PATH");
  std::string p = std::string(":") + (path ? path : "") + ":";
  if (p.find(":" + ctx.layout.shims_dir() + ":") == std::string::npos)
    fmt::print("note: {} is not on PATH: add it to use the shims\n", ctx.layout.shims_dir());
  fmt::print("data dir {}: {}\n", ctx.roots.data, problems ? "problems found" : "ok");
  return problems ? kExitError : kExitOk;
}

}  // namespace rtx::cli
