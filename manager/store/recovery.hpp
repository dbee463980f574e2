// Crash recovery (DESIGN.md §3), cheap enough for every manager start:
// BUILDING or FAILED builds whose install lock is free are removed, pointers to
// non-READY builds are repaired or removed, READY builds no pointer names (a
// commit that died before its flip) are retired, half-reaped builds finished.
#pragma once

#include <string>
#include <vector>

#include "resolver/store_layout.hpp"

namespace rtx::store {

struct RecoveryReport {
  std::vector<std::string> actions;  // one line per repair, for `rtx doctor`
};

// `state_dir`: where an interrupted commit logs the succession it finishes.
// `download_root`: $RTX_CACHE_DIR/plugin-downloads, swept of killed installs' folders.
RecoveryReport recover_store(const resolver::StoreLayout& layout, const std::string& shim_binary,
                             const std::string& state_dir = {}, const std::string& download_root = {});

}  // namespace rtx::store
