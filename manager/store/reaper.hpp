// The reaper step of DESIGN.md §7 for one RETIRED build. Its order is
// model-checked (shared/models/lease_reap.pml, REAPER_ORDER 1): tool lock →
// still RETIRED? → lease LOCK_EX|LOCK_NB → /proc safety net → REAPING → release
// the tool lock → delete. Never blocks on a lease while holding the tool lock.
#pragma once

#include <string>
#include <vector>

#include "manager/store/proc_scan.hpp"
#include "resolver/store_layout.hpp"

namespace rtx::store {

enum class ReapOutcome { Reaped, Busy, NotRetired, Failed };

struct ReapResult {
  ReapOutcome outcome = ReapOutcome::NotRetired;
  std::vector<ProcessUse> users;  // for Busy: who keeps it; empty when none is visible (describe_holders)
  std::string error;
};

// `name_users`: on Busy, scan /proc for who holds it (a waiter that only
// retries skips that scan while the lease is held).
ReapResult reap_build(const resolver::StoreLayout& layout, const std::string& tool, const std::string& entry_name,
                      bool name_users = true);

}  // namespace rtx::store
