// The reaper over a tool's RETIRED builds (DESIGN.md §7): which are kept for
// rollback (`keep_previous`), which go now, which are handed to a waiter.
#pragma once

#include <string>
#include <vector>

#include "manager/store/lease_scan.hpp"
#include "manager/store/proc_scan.hpp"
#include "resolver/store_layout.hpp"

namespace rtx::store {

enum class GcStatus { Reaped, Busy, Kept, WouldReap, Failed };

struct GcItem {
  std::string tool;
  std::string entry;
  GcStatus status = GcStatus::Kept;
  std::vector<ProcessUse> users;  // Busy: who holds it
  std::string error;
};

struct GcOptions {
  int keep_previous = 1;
  bool dry_run = false;
  bool wait = false;          // retry busy builds in the foreground until they go
  std::string waiter_binary;  // non-empty: hand busy builds to a detached waiter (`rtx __reap-wait`)
  std::string state_dir;
};

// RETIRED builds kept for `rtx rollback`: the newest `keep` predecessors in the
// succession log that are still RETIRED.
std::vector<std::string> kept_for_rollback(const resolver::StoreLayout& layout, const std::string& state_dir,
                                           const std::string& tool, int keep);

// Tools: empty means every tool in the store.
std::vector<GcItem> collect_garbage(const resolver::StoreLayout& layout, const std::vector<std::string>& tools,
                                    const GcOptions& options);

// The detached waiter's loop: repeats the reaper step for each of its builds
// with back-off (≤ 250 ms) until it is gone or no longer RETIRED. At most one
// waiter per build (a lock beside the tool lock): a build another waiter has
// is left to it. Never blocks on LOCK_EX.
void wait_and_reap(const resolver::StoreLayout& layout, const std::vector<BuildRef>& builds);

// Starts `rtx __reap-wait TOOL ENTRY [TOOL ENTRY…]` detached, in its own
// session: one process waits for many builds (a process per build made
// `rtx gc` cost a spawn per busy build), at most kBuildsPerWaiter each so
// that its lock fds stay well under the usual 1024.
inline constexpr std::size_t kBuildsPerWaiter = 256;
void spawn_reap_waiter(const std::string& rtx_binary, const std::vector<BuildRef>& builds);
inline void spawn_reap_waiter(const std::string& rtx_binary, const std::string& tool, const std::string& entry) {
  spawn_reap_waiter(rtx_binary, {BuildRef{tool, entry}});
}

}  // namespace rtx::store
