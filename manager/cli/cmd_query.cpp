// rtx ls, ls-remote, current, which, where: read-only questions.
#include <fmt/core.h>

#include <algorithm>

#include "manager/backends/plugins.hpp"
#include "manager/backends/remote_versions_cache.hpp"
#include "manager/cli/commands.hpp"
#include "manager/net/offline.hpp"
#include "manager/store/entries.hpp"
#include "manager/store/pointers.hpp"
#include "manager/util/json.hpp"
#include "manager/util/table.hpp"
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
    boost::json::array out;
    for (const auto& e : rows)
      out.push_back(boost::json::object{
          {"tool", util::json_text(e.tool)},
          {"version", util::json_text(e.version)},
          {"build", util::json_text(e.name)},
          {"state", resolver::state_name(e.state)},
          {"path", util::json_text(e.path)},
          {"active", pointed(e)},
      });
    util::print_json(out);
    return kExitOk;
  }
  std::vector<std::vector<std::string>> table;
  for (const auto& e : rows) table.push_back({e.tool, e.version, std::string(resolver::state_name(e.state)), e.path});
  fmt::print("{}", util::format_table(table));
  return kExitOk;
}

int cmd_ls_remote(Context& ctx, const std::string& tool, const std::optional<std::string>& prefix, bool json) {
  auto backend = backends::backend_for(ctx.backend_env(), tool);
  if (!backend) return fail(backend.error());
  auto versions = (*backend)->list_remote();
  if (!versions) return fail(versions.error());
  // What completion offers after "tool@" (remote_versions_cache.hpp): a
  // failure costs only that, so it is a note, not an error. Offline, the list
  // came from a cache: writing it again would make it look new.
  auto offline = net::offline_mode();
  if (offline && !*offline)
    if (auto st = backends::save_remote_versions(ctx.roots.cache, tool, *versions); !st)
      note("the list is not kept for completion: " + st.error());
  std::optional<resolver::VersionSpec> spec;
  if (prefix) {
    auto s = resolver::parse_spec(*prefix);
    if (!s) return fail(s.error());
    spec = *s;
  }
  std::vector<std::string> shown;
  for (const auto& v : *versions)
    if (!spec || resolver::spec_matches(*spec, v) || v == spec->text) shown.push_back(v);
  if (shown.empty() && spec && spec->kind == resolver::SpecKind::Version) {  // a backend's alias: what it means today
    auto alias = (*backend)->latest_stable(spec->text);
    if (!alias) return fail(alias.error());
    if (!alias->empty() && std::find(versions->begin(), versions->end(), *alias) != versions->end())
      shown.push_back(*alias);
  }
  if (json) {
    boost::json::array out;
    for (const auto& v : shown) out.push_back(util::json_text(v));
    util::print_json(out);
    return kExitOk;
  }
  for (const auto& v : shown) fmt::print("{}\n", v);
  return kExitOk;
}

int cmd_current(Context& ctx, const std::optional<std::string>& tool, bool json) {
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
  std::vector<std::vector<std::string>> table;
  boost::json::array out;
  for (const auto& r : requests) {
    auto m = installed_match(ctx, r);
    if (!m) status = kExitNotInstalled;
    if (json) {
      boost::json::array specs;
      for (const auto& spec : r.specs) specs.push_back(util::json_text(spec.text));
      boost::json::object row{{"tool", util::json_text(r.tool)},
                              {"requested", std::move(specs)},
                              {"source", util::json_text(r.source)},
                              {"installed", bool(m)},
                              {"version", nullptr},
                              {"path", nullptr}};
      if (m) {
        row["version"] = util::json_text(m->version);
        if (!m->entry.empty()) row["path"] = util::json_text(ctx.layout.entry_path(r.tool, m->entry));
      }
      out.push_back(std::move(row));
    } else if (m) {
      table.push_back({r.tool, m->version, r.source});
    } else {
      table.push_back({r.tool, r.joined(), r.source + " (not installed: run 'rtx install')"});
    }
  }
  if (json)
    util::print_json(out);
  else
    fmt::print("{}", util::format_table(table));
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
