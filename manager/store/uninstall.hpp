// `rtx uninstall TOOL@VERSION` as a store transition: under the tool lock the
// build the version pointer names is retired (the one retire sequence,
// retire.hpp), shims are rewritten; then the reaper step (§7) runs for it.
#pragma once

#include <string>
#include <vector>

#include "manager/store/reaper.hpp"
#include "resolver/expected.hpp"
#include "resolver/store_layout.hpp"

namespace rtx::store {

struct UninstallOutcome {
  std::string entry;  // the build retired
  ReapResult reap;    // Busy: hand it to a waiter; NotRetired: taken back meanwhile (a rollback)
  std::vector<std::string> warnings;
};

[[nodiscard]] Expected<UninstallOutcome> uninstall(const resolver::StoreLayout& layout, const std::string& shim_binary,
                                                   const std::string& tool, const std::string& version);

}  // namespace rtx::store
