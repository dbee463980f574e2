// rtx ls-remote and where: read-only questions that need a backend or the
// manager's context (ls, current and which are in manager/query/cmd_query.cpp).
#include <fmt/core.h>

#include <algorithm>

#include "manager/backends/plugins.hpp"
#include "manager/backends/remote_versions_cache.hpp"
#include "manager/cli/commands.hpp"
#include "manager/net/offline.hpp"
#include "manager/util/json.hpp"
#include "resolver/version.hpp"

namespace rtx::cli {

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
