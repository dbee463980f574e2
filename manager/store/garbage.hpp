// The reaper over a tool's RETIRED builds (DESIGN.md §7): which are kept for
// rollback (`keep_previous`), which go now, which are handed to a waiter.
#pragma once

#include <string>
#include <vector>

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

// The detached waiter's loop: repeats the reaper step for one build with
// back-off (≤ 250 ms) until it is gone or no longer RETIRED. At most one waiter
// per build (a lock beside the tool lock). Never blocks on LOCK_EX.
void wait_and_reap(const resolver::StoreLayout& layout, const std::string& tool, const std::string& entry);

// Starts `rtx __reap-wait TOOL ENTRY` detached, in its own session.
void spawn_reap_waiter(const std::string& rtx_binary, const std::string& tool, const std::string& entry);

}  // namespace rtx::store
