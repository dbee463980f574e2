// rtx ls, current, which: read-only questions the front answers itself
// (manager/query/front_main.cpp) and the full manager runs the same way.
#include <cstdio>

#include <algorithm>

#include "manager/query/query_commands.hpp"
#include "manager/store/entries.hpp"
#include "manager/util/json.hpp"
#include "manager/util/table.hpp"
#include "resolver/build_meta.hpp"
#include "resolver/file_io.hpp"
#include "resolver/shim_index.hpp"
#include "resolver/store_layout.hpp"
#include "resolver/version.hpp"

namespace rtx::cli {
namespace {

void query_print(const std::string& text) { std::fwrite(text.data(), 1, text.size(), stdout); }

}  // namespace

int cmd_ls(QueryContext& ctx, const std::optional<std::string>& tool, bool json) {
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
    ctx.start_output();
    util::print_json(out);
    return kExitOk;
  }
  std::vector<std::vector<std::string>> table;
  for (const auto& e : rows) table.push_back({e.tool, e.version, std::string(resolver::state_name(e.state)), e.path});
  ctx.start_output();
  query_print(util::format_table(table));
  return kExitOk;
}

int cmd_current(QueryContext& ctx, const std::optional<std::string>& tool, bool json) {
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
  ctx.start_output();
  if (json)
    util::print_json(out);
  else
    query_print(util::format_table(table));
  return status;
}

int cmd_which(QueryContext& ctx, const std::string& command) {
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
    ctx.start_output();
    query_print(exe + "\n");
    return kExitOk;
  }
  return fail("no version of a tool providing '" + command + "' is configured for " + ctx.cwd, kExitNotInstalled);
}

}  // namespace rtx::cli
