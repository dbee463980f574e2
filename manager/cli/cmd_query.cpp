// rtx ls, ls-remote, current, which, where: read-only questions.
#include <fmt/core.h>

#include <algorithm>

#include "manager/backends/plugins.hpp"
#include "manager/cli/commands.hpp"
#include "manager/store/entries.hpp"
#include "manager/store/pointers.hpp"
#include "manager/util/json.hpp"
#include "resolver/build_meta.hpp"
#include "resolver/file_io.hpp"
#include "resolver/shim_index.hpp"
#include "resolver/version.hpp"

namespace rtx::cli {

int cmd_ls(Context& ctx, const std::optional<std::string>& tool, bool json) {
  std::vector<store::Entry> rows;
  for (const auto& t : store::list_tools(ctx.layout)) {
    if (tool && t != *tool) continue;
    auto entries = store::list_entries(ctx.layout, t);
    std::sort(entries.begin(), entries.end(), [](const auto& a, const auto& b) {
      int c = resolver::compare_versions(a.version, b.version);
      return c != 0 ? c < 0 : a.name < b.name;
    });
    for (auto& e : entries) rows.push_back(std::move(e));
  }
  auto pointed = [&](const store::Entry& e) {
    return resolver::pointer_entry(ctx.layout, e.tool, e.version) == e.name;
  };
  if (json) {
    std::string out = "[";
    for (const auto& e : rows) {
      out += fmt::format("{}{{\"tool\":{},\"version\":{},\"build\":{},\"state\":{},\"path\":{},\"active\":{}}}",
                         out.size() > 1 ? "," : "", util::json_string(e.tool), util::json_string(e.version),
                         util::json_string(e.name), util::json_string(resolver::state_name(e.state)),
                         util::json_string(e.path), pointed(e) ? "true" : "false");
    }
    fmt::print("{}]\n", out);
    return kExitOk;
  }
  for (const auto& e : rows)
    fmt::print("{:<16} {:<16} {:<9} {}\n", e.tool, e.version, resolver::state_name(e.state), e.path);
  return kExitOk;
}

int cmd_ls_remote(Context& ctx, const std::string& tool, const std::optional<std::string>& prefix) {
  auto backend = backends::backend_for(ctx.backend_env(), tool);
  if (!backend) return fail(backend.error());
  auto versions = (*backend)->list_remote();
  if (!versions) return fail(versions.error());
  std::optional<resolver::VersionSpec> spec;
  if (prefix) {
    auto s = resolver::parse_spec(*prefix);
    if (!s) return fail(s.error());
    spec = *s;
  }
  bool any = false;
  for (const auto& v : *versions)
    if (!spec || resolver::spec_matches(*spec, v) || v == spec->text) {
      fmt::print("{}\n", v);
      any = true;
    }
  if (!any && spec && spec->kind == resolver::SpecKind::Version) {  // a backend's alias: what it means today
    auto alias = (*backend)->latest_stable(spec->text);
    if (!alias) return fail(alias.error());
    if (!alias->empty() && std::find(versions->begin(), versions->end(), *alias) != versions->end())
      fmt::print("{}\n", *alias);
  }
  return kExitOk;
}

int cmd_current(Context& ctx, const std::optional<std::string>& tool) {
  auto finder = ctx.finder();
  std::vector<resolver::Request> requests;
  if (tool) {
    auto r = finder.find(*tool);
    if (!r) return fail(r.error());
    if (r->tool.empty()) return fail("no version of " + *tool + " is configured for " + ctx.cwd, kExitNotInstalled);
    requests.push_back(std::move(*r));
  } else {
    auto all = finder.all();
    if (!all) return fail(all.error());
    requests = std::move(*all);
  }
  int status = kExitOk;
  for (const auto& r : requests) {
    auto m = installed_match(ctx, r);
    if (m) {
      fmt::print("{:<16} {:<16} {}\n", r.tool, m->version, r.source);
    } else {
      fmt::print("{:<16} {:<16} {} (not installed: run 'rtx install')\n", r.tool, r.joined(), r.source);
      status = kExitNotInstalled;
    }
  }
  return status;
}

int cmd_which(Context& ctx, const std::string& command) {
  std::string index;
  resolver::read_file(ctx.layout.shim_index(), index);
  auto tools = resolver::tools_for_command(index, command);
  if (tools.empty()) return fail("no installed tool provides '" + command + "'", kExitNotInstalled);
  auto finder = ctx.finder();
  for (const auto& tool : tools) {
    auto r = finder.find(tool);
    if (!r) return fail(r.error());
    if (r->tool.empty()) continue;
    resolver::Acquired build;
    if (!resolver::acquire_build(ctx.layout, *r, build))
      return fail(tool + " " + r->joined() + " (asked by " + r->source + ") is not installed: run 'rtx install'",
                  kExitNotInstalled);
    std::string exe =
        build.entry_path.empty()
            ? ""
            : resolver::find_command(build.entry_path, resolver::load_build_meta(build.entry_path), command);
    if (exe.empty()) return fail(tool + " " + build.version + " has no command '" + command + "'", kExitNotInstalled);
    fmt::print("{}\n", exe);
    return kExitOk;
  }
  return fail("no version of a tool providing '" + command + "' is configured for " + ctx.cwd, kExitNotInstalled);
}

int cmd_where(Context& ctx, const std::string& tool_spec) {
  auto ts = parse_tool_spec(tool_spec);
  if (!ts) return fail(ts.error());
  resolver::Request req;
  if (ts->spec) {
    req = *request_from_cli(ts->tool, *ts->spec);
  } else {
    auto finder = ctx.finder();
    auto r = finder.find(ts->tool);
    if (!r) return fail(r.error());
    if (r->tool.empty()) return fail("no version of " + ts->tool + " is configured for " + ctx.cwd, kExitNotInstalled);
    req = std::move(*r);
  }
  auto m = installed_match(ctx, req);
  if (!m || m->entry.empty())
    return fail(ts->tool + " " + req.joined() + " is not installed: run 'rtx install " + ts->tool + "@" +
                    req.specs.front().text + "'",
                kExitNotInstalled);
  fmt::print("{}\n", ctx.layout.entry_path(ts->tool, m->entry));
  return kExitOk;
}

}  // namespace rtx::cli
