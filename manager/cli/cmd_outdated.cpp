// rtx outdated [tool…] [--json] and rtx latest tool[@prefix] (issue 9 item 7):
// what a configured request runs now against what the remote side offers.
// These ask the backends (the network); nothing is installed or changed.
#include <fmt/core.h>

#include <algorithm>

#include "manager/backends/plugins.hpp"
#include "manager/cli/commands.hpp"
#include "manager/util/json.hpp"
#include "manager/util/table.hpp"

namespace rtx::cli {
namespace {

struct OutdatedRow {
  resolver::Request request;
  std::string current;  // empty: not installed
  std::string wanted;   // newest remote version the request allows
  std::string latest;   // newest remote version
};

Expected<OutdatedRow> row_for(Context& ctx, resolver::Request request) {
  OutdatedRow row;
  if (auto m = installed_match(ctx, request)) row.current = m->version;
  auto backend = backends::backend_for(ctx.backend_env(), request.tool);
  if (!backend) return Error{backend.error()};
  auto wanted = pick_remote_version(**backend, request.tool, request.specs.front());
  if (!wanted) return Error{wanted.error()};
  auto latest = pick_remote_version(**backend, request.tool, *resolver::parse_spec("latest"));
  if (!latest) return Error{latest.error()};
  row.wanted = *wanted;
  row.latest = *latest;
  row.request = std::move(request);
  return row;
}

}  // namespace

int cmd_outdated(Context& ctx, const std::vector<std::string>& tools, bool json) {
  auto finder = ctx.finder();
  auto all = finder.all();
  if (!all) return fail(all.error());
  for (const auto& t : tools)
    if (std::none_of(all->begin(), all->end(), [&](const auto& r) { return r.tool == t; }))
      return fail("no version of " + t + " is configured for " + ctx.cwd + ": see 'rtx current'");
  std::vector<OutdatedRow> rows;
  for (auto& request : *all) {
    if (!tools.empty() && std::find(tools.begin(), tools.end(), request.tool) == tools.end()) continue;
    if (request.specs.front().kind == resolver::SpecKind::System) continue;  // not rtx's to upgrade
    auto row = row_for(ctx, std::move(request));
    if (!row) return fail(row.error());
    if (row->current != row->wanted) rows.push_back(std::move(*row));  // up to date: not listed, as mise
  }
  if (json) {
    boost::json::array out;
    for (const auto& r : rows)
      out.push_back(boost::json::object{
          {"tool", util::json_text(r.request.tool)},
          {"requested", util::json_text(r.request.joined())},
          {"current", r.current.empty() ? boost::json::value(nullptr) : boost::json::value(util::json_text(r.current))},
          {"wanted", util::json_text(r.wanted)},
          {"latest", util::json_text(r.latest)},
          {"source", util::json_text(r.request.source)},
      });
    util::print_json(out);
    return kExitOk;
  }
  if (rows.empty()) {
    note("every configured tool runs the newest version its request allows");
    return kExitOk;
  }
  std::vector<std::vector<std::string>> table{{"TOOL", "REQUESTED", "CURRENT", "WANTED", "LATEST", "SOURCE"}};
  for (const auto& r : rows)
    table.push_back({r.request.tool, r.request.joined(), r.current.empty() ? "(missing)" : r.current, r.wanted,
                     r.latest, r.request.source});
  fmt::print("{}", util::format_table(table));
  return kExitOk;
}

int cmd_latest(Context& ctx, const std::string& tool_spec) {
  auto ts = parse_tool_spec(tool_spec);
  if (!ts) return fail(ts.error());
  auto spec = resolver::parse_spec(ts->spec.value_or("latest"));
  if (!spec) return fail(spec.error());
  auto backend = backends::backend_for(ctx.backend_env(), ts->tool);
  if (!backend) return fail(backend.error());
  auto version = pick_remote_version(**backend, ts->tool, *spec);
  if (!version) return fail(version.error());
  fmt::print("{}\n", *version);
  return kExitOk;
}

}  // namespace rtx::cli
