// rtx gc [--wait] [--dry-run]: the reaper (DESIGN.md §7) over every RETIRED or
// REAPING build, keeping `keep_previous` predecessors per tool for rollback.
// Busy builds go to a detached waiter, or with --wait are waited for here.
#include <fmt/core.h>

#include "manager/cli/commands.hpp"
#include "manager/config/settings.hpp"
#include "manager/store/garbage.hpp"
#include "manager/store/proc_scan.hpp"
#include "manager/util/plugin_downloads.hpp"

namespace rtx::cli {

int cmd_gc(Context& ctx, bool dry_run, bool wait) {
  auto settings = config::load_settings(ctx.roots.config);
  if (!settings) return fail(settings.error());
  store::GcOptions opts{settings->keep_previous, dry_run, wait, wait ? std::string() : ctx.rtx_binary, ctx.roots.state};
  int status = kExitOk;
  for (const auto& item : store::collect_garbage(ctx.layout, {}, opts)) {
    std::string what = item.tool + " " + item.entry;
    switch (item.status) {
      case store::GcStatus::Reaped:
        fmt::print("reaped {}\n", what);
        break;
      case store::GcStatus::WouldReap:
        fmt::print("would reap {}\n", what);
        break;
      case store::GcStatus::Kept:
        fmt::print("kept {} for 'rtx rollback'\n", what);
        break;
      case store::GcStatus::Busy:
        fmt::print("pending {}: in use by {}; a waiter removes it within a second of their exit\n", what,
                   store::describe_holders(item.users, ctx.layout.entry_path(item.tool, item.entry)));
        break;
      case store::GcStatus::Failed:
        status = fail(item.error);
        break;
    }
  }
  if (!dry_run) {  // the scratch folders of installs that were killed
    auto sweep = util::sweep_plugin_downloads(ctx.layout, ctx.download_root());
    for (const auto& line : sweep.removed) fmt::print("{}\n", line);
    for (const auto& line : sweep.errors) status = fail(line);
  }
  return status;
}

int cmd_reap_wait(Context& ctx, const std::vector<std::string>& tool_entry_pairs) {
  std::vector<store::BuildRef> builds;
  for (std::size_t i = 0; i + 1 < tool_entry_pairs.size(); i += 2)
    builds.push_back(store::BuildRef{tool_entry_pairs[i], tool_entry_pairs[i + 1]});
  store::wait_and_reap(ctx.layout, builds);
  return kExitOk;
}

}  // namespace rtx::cli
