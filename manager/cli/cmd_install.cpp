// rtx install, rtx uninstall.
#include "manager/cli/commands.hpp"
#include "manager/cli/install_jobs.hpp"
#include "manager/cli/lock_session.hpp"
#include "manager/store/garbage.hpp"
#include "manager/store/uninstall.hpp"
#include "manager/util/process_runner.hpp"

namespace rtx::cli {

int cmd_install(Context& ctx, const std::vector<std::string>& tool_specs, bool force, bool locked, unsigned jobs) {
  auto mode = lock_mode(ctx, locked);
  if (!mode) return fail(mode.error());
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
        if (mode->locked)
          return fail(
              "--locked installs what the config asks for, as its lock says: run 'rtx install --locked' (or "
              "'rtx install --locked " +
                  ts->tool + "') without @" + *ts->spec,
              2);
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
  LockSession locks(ctx, *mode);
  // One job per version: a tool's versions in order on one worker, up to
  // `jobs` tools at once; -j1 runs them here, in this order (install_jobs.hpp).
  std::vector<InstallJob> installs;
  for (const auto& req : requests) {
    for (const auto& spec : req.specs) {
      if (spec.kind == resolver::SpecKind::System) continue;
      installs.push_back({req.tool, [&ctx, &locks, &req, &spec, force]() -> Status {
                            auto choice = locks.choose(req, spec);
                            auto v = !choice
                                         ? Expected<std::string>(Error{choice.error()})
                                         : ensure_installed(ctx, req.tool, spec, force, *choice ? &**choice : nullptr);
                            if (!v) return Error{v.error()};
                            locks.record(req, spec, *v);
                            return ok_status();
                          }});
    }
  }
  JobRunOptions run;
  run.workers = jobs;
  run.on_done = [](std::size_t, const Status& st) {
    if (!st) fail(st.error());  // as it happens, not at the end
  };
  int status = kExitOk;
  for (const auto& done : run_install_jobs(installs, run))
    if (!done.status) status = kExitError;
  if (util::interrupted()) return fail("interrupted", 130);
  if (auto st = locks.flush(); !st) status = fail(st.error());
  return status;
}

int cmd_uninstall(Context& ctx, const std::string& tool_version) {
  auto ts = parse_tool_spec(tool_version);
  if (!ts) return fail(ts.error());
  if (!ts->spec)
    return fail("say which version: rtx uninstall " + ts->tool + "@VERSION (see 'rtx ls " + ts->tool + "')");
  const std::string& tool = ts->tool;
  const std::string& version = *ts->spec;

  auto done = store::uninstall(ctx.layout, ctx.shim_binary, tool, version);
  if (!done) return fail(done.error());
  for (const auto& w : done->warnings) note("warning: " + w);
  const store::ReapResult& reaped = done->reap;
  switch (reaped.outcome) {
    case store::ReapOutcome::Reaped:
      note("uninstalled " + tool + " " + version);
      return kExitOk;
    case store::ReapOutcome::Busy:
      store::spawn_reap_waiter(ctx.rtx_binary, tool, done->entry);
      note("uninstalled " + tool + " " + version + "; its files stay while processes use them: " +
           store::describe_holders(reaped.users, ctx.layout.entry_path(tool, done->entry)) +
           "; they go within a second of the last one's exit");
      return kExitOk;
    case store::ReapOutcome::NotRetired:
      note("uninstalled " + tool + " " + version + "; the build was taken back meanwhile");
      return kExitOk;
    case store::ReapOutcome::Failed:
      break;
  }
  return fail("uninstalled " + tool + " " + version + ", but removing its files failed: " + reaped.error +
              "; 'rtx gc' tries again");
}

}  // namespace rtx::cli
