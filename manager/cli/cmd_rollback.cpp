// rtx rollback <tool> [--to VERSION] (DESIGN.md §7): under the tool lock, a
// predecessor that is still RETIRED becomes READY again, its pointer comes
// back, and the build that replaced it is retired and held back from the next
// `rtx upgrade` (unless --force). REAPING or gone: refused.
#include "manager/cli/commands.hpp"
#include "manager/config/settings.hpp"
#include "manager/store/entries.hpp"
#include "manager/store/file_lock.hpp"
#include "manager/store/garbage.hpp"
#include "manager/store/pointers.hpp"
#include "manager/store/reshim.hpp"
#include "manager/store/succession_log.hpp"
#include "manager/util/fault_point.hpp"

namespace rtx::cli {

int cmd_rollback(Context& ctx, const std::string& tool, const std::optional<std::string>& to) {
  auto settings = config::load_settings(ctx.roots.config);
  if (!settings) return fail(settings.error());
  store::SuccessionLog log(ctx.roots.state, tool);
  std::string restored, retired;
  {
    auto lock = store::FileLock::acquire(ctx.layout.tool_lock(tool), store::LockMode::Exclusive);
    if (!lock) return fail(lock.error());
    auto successions = log.read();
    const store::Succession* chosen = nullptr;
    for (auto it = successions.rbegin(); it != successions.rend() && !chosen; ++it) {
      if (to && store::version_of_entry(it->retired) != *to) continue;
      chosen = &*it;  // the most recent replacement (a second rollback undoes the first)
    }
    if (!chosen)
      return fail("nothing to roll " + tool + " back to" + (to ? " at version " + *to : std::string()) +
                  ": no replaced build is recorded (see 'rtx ls " + tool + "')");
    // Re-read under the tool lock: only a RETIRED predecessor may come back.
    std::string pred_path = ctx.layout.entry_path(tool, chosen->retired);
    auto state = resolver::read_state(pred_path);
    if (state != resolver::EntryState::Retired)
      return fail("cannot roll " + tool + " back to " + store::version_of_entry(chosen->retired) + ": its build " +
                  pred_path + " is " +
                  (state == resolver::EntryState::Missing ? std::string("gone (reaped)")
                                                          : std::string(resolver::state_name(state))) +
                  "; install it again with 'rtx install " + tool + "@" + store::version_of_entry(chosen->retired) +
                  "'");
    if (auto st = store::set_state(pred_path, resolver::EntryState::Ready); !st) return fail(st.error());
    util::fault_point("rollback-after-ready");
    std::string pred_version = store::version_of_entry(chosen->retired);
    if (auto st = store::set_pointer(ctx.layout, tool, pred_version, chosen->retired); !st) return fail(st.error());
    std::string succ = chosen->successor;
    std::string succ_path = ctx.layout.entry_path(tool, succ);
    if (resolver::read_state(succ_path) == resolver::EntryState::Ready) {
      std::string succ_version = store::version_of_entry(succ);
      if (resolver::pointer_entry(ctx.layout, tool, succ_version) == succ)
        store::remove_pointer(ctx.layout, tool, succ_version);
      store::refresh_fuzzy_links(ctx.layout, tool);
      store::set_state(succ_path, resolver::EntryState::Retired);
      log.append(store::Succession{succ, chosen->retired});
      log.hold_back(succ_version);
      retired = succ;
    } else {
      store::refresh_fuzzy_links(ctx.layout, tool);
    }
    log.unhold(pred_version);
    store::reshim(ctx.layout, ctx.shim_binary);
    restored = chosen->retired;
  }
  note("rolled " + tool + " back to " + store::version_of_entry(restored) +
       (retired.empty() ? std::string()
                        : "; " + store::version_of_entry(retired) +
                              " is retired and held back from 'rtx upgrade' (use --force to take it again)"));
  store::GcOptions gc;
  gc.keep_previous = settings->keep_previous;
  gc.waiter_binary = ctx.rtx_binary;
  gc.state_dir = ctx.roots.state;
  store::collect_garbage(ctx.layout, {tool}, gc);
  return kExitOk;
}

}  // namespace rtx::cli
