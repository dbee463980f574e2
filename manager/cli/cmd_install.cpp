// rtx install, rtx uninstall.
#include "manager/cli/commands.hpp"
#include "manager/store/entries.hpp"
#include "manager/store/file_lock.hpp"
#include "manager/store/garbage.hpp"
#include "manager/store/pointers.hpp"
#include "manager/store/reaper.hpp"
#include "manager/store/reshim.hpp"
#include "manager/util/process_runner.hpp"

namespace rtx::cli {

int cmd_install(Context& ctx, const std::vector<std::string>& tool_specs, bool force) {
  std::vector<resolver::Request> requests;
  if (tool_specs.empty()) {
    auto finder = ctx.finder();
    auto all = finder.all();
    if (!all) return fail(all.error());
    if (all->empty())
      return fail("no tool is configured in " + ctx.cwd + ": run 'rtx install TOOL@VERSION' or 'rtx use'");
    requests = std::move(*all);
  } else {
    for (const auto& text : tool_specs) {
      auto ts = parse_tool_spec(text);
      if (!ts) return fail(ts.error());
      if (ts->spec) {
        auto req = request_from_cli(ts->tool, *ts->spec);
        if (!req) return fail(req.error());
        requests.push_back(std::move(*req));
        continue;
      }
      auto finder = ctx.finder();  // "rtx install node": what the config asks for, else latest
      auto req = finder.find(ts->tool);
      if (!req) return fail(req.error());
      if (req->tool.empty()) req = *request_from_cli(ts->tool, "latest");
      requests.push_back(std::move(*req));
    }
  }
  int status = kExitOk;
  for (const auto& req : requests) {
    for (const auto& spec : req.specs) {
      if (spec.kind == resolver::SpecKind::System) continue;
      auto v = ensure_installed(ctx, req.tool, spec, force);
      if (!v) status = fail(v.error());
      if (util::interrupted()) return fail("interrupted", 130);
    }
  }
  return status;
}

int cmd_uninstall(Context& ctx, const std::string& tool_version) {
  auto ts = parse_tool_spec(tool_version);
  if (!ts) return fail(ts.error());
  if (!ts->spec)
    return fail("say which version: rtx uninstall " + ts->tool + "@VERSION (see 'rtx ls " + ts->tool + "')");
  const std::string& tool = ts->tool;
  const std::string& version = *ts->spec;

  std::string entry;
  {
    auto lock = store::FileLock::acquire(ctx.layout.tool_lock(tool), store::LockMode::Exclusive);
    if (!lock) return fail(lock.error());
    entry = resolver::pointer_entry(ctx.layout, tool, version);
    if (entry.empty())
      return fail(tool + " " + version + " is not installed (" + ctx.layout.pointer_path(tool, version) +
                  "): see 'rtx ls " + tool + "'");
    if (auto st = store::set_state(ctx.layout.entry_path(tool, entry), resolver::EntryState::Retired); !st)
      return fail(st.error());
    store::remove_pointer(ctx.layout, tool, version);
    store::refresh_fuzzy_links(ctx.layout, tool);
    store::reshim(ctx.layout, ctx.shim_binary);
  }
  auto reaped = store::reap_build(ctx.layout, tool, entry);
  switch (reaped.outcome) {
    case store::ReapOutcome::Reaped:
      note("uninstalled " + tool + " " + version);
      return kExitOk;
    case store::ReapOutcome::Busy:
      store::spawn_reap_waiter(ctx.rtx_binary, tool, entry);
      note("uninstalled " + tool + " " + version + "; its files stay while processes use them: " +
           store::describe_uses(reaped.users) + "; they go within a second of the last one's exit");
      return kExitOk;
    case store::ReapOutcome::NotRetired:
      note("uninstalled " + tool + " " + version + "; the build was taken back meanwhile");
      return kExitOk;
    case store::ReapOutcome::Failed:
      break;
  }
  return fail(reaped.error);
}

}  // namespace rtx::cli
