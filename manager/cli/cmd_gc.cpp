// rtx gc: the reaper (DESIGN.md §7) over every RETIRED or REAPING build.
#include <fmt/core.h>

#include "manager/cli/commands.hpp"
#include "manager/store/entries.hpp"
#include "manager/store/reaper.hpp"

namespace rtx::cli {

int cmd_gc(Context& ctx, bool dry_run) {
  int status = kExitOk;
  for (const auto& tool : store::list_tools(ctx.layout)) {
    for (const auto& e : store::list_entries(ctx.layout, tool)) {
      if (e.state != resolver::EntryState::Retired && e.state != resolver::EntryState::Reaping) continue;
      if (dry_run) {
        fmt::print("would reap {} {} ({})\n", tool, e.version, e.path);
        continue;
      }
      auto r = store::reap_build(ctx.layout, tool, e.name);
      switch (r.outcome) {
        case store::ReapOutcome::Reaped:
          fmt::print("reaped {} {} ({})\n", tool, e.version, e.path);
          break;
        case store::ReapOutcome::Busy:
          fmt::print("kept {} {}: in use by {}\n", tool, e.version, store::describe_uses(r.users));
          break;
        case store::ReapOutcome::NotRetired:
          break;
        case store::ReapOutcome::Failed:
          status = fail(r.error);
          break;
      }
    }
  }
  return status;
}

}  // namespace rtx::cli
