// rtx rollback <tool> [--to VERSION] (DESIGN.md §7): the transition is
// store::rollback(); this prints what it did, then reaps opportunistically.
#include "manager/cli/commands.hpp"
#include "manager/config/settings.hpp"
#include "manager/store/entries.hpp"
#include "manager/store/garbage.hpp"
#include "manager/store/rollback.hpp"

namespace rtx::cli {

int cmd_rollback(Context& ctx, const std::string& tool, const std::optional<std::string>& to) {
  auto settings = config::load_settings(ctx.roots.config);
  if (!settings) return fail(settings.error());
  auto done = store::rollback(ctx.layout, ctx.roots.state, ctx.shim_binary, tool, to);
  if (!done) return fail(done.error());
  for (const auto& w : done->warnings) note("warning: " + w);
  note("rolled " + tool + " back to " + store::version_of_entry(done->restored) +
       (done->retired.empty() ? std::string()
                              : "; " + store::version_of_entry(done->retired) +
                                    " is retired and held back from 'rtx upgrade' (use --force to take it again)"));
  store::GcOptions gc;
  gc.keep_previous = settings->keep_previous;
  gc.waiter_binary = ctx.rtx_binary;
  gc.state_dir = ctx.roots.state;
  for (const auto& item : store::collect_garbage(ctx.layout, {tool}, gc))
    if (item.status == store::GcStatus::Failed) note("warning: " + item.error);
  return kExitOk;
}

}  // namespace rtx::cli
