// `rtx rollback` as a store transition (DESIGN.md §7): under the tool lock,
// re-read the predecessor's state; only if it is RETIRED: READY, flip the
// pointer, the newer build RETIRED and held back from the next upgrade.
// Anything else (REAPING, gone) is refused with a message saying so.
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "resolver/expected.hpp"
#include "resolver/store_layout.hpp"

namespace rtx::store {

struct RollbackOutcome {
  std::string restored;  // entry made READY again
  std::string retired;   // the newer build retired and held back ("" when it was no longer READY)
  std::vector<std::string> warnings;
};

// The most recent replacement recorded for `tool` (with `to`: the most recent
// whose replaced build has that version) is undone. A second rollback undoes
// the first.
[[nodiscard]] Expected<RollbackOutcome> rollback(const resolver::StoreLayout& layout, const std::string& state_dir,
                                                 const std::string& shim_binary, const std::string& tool,
                                                 const std::optional<std::string>& to);

// `rtx upgrade --force`: no version of `tool` is held back any more (under the
// tool lock, as a rollback writes that list).
[[nodiscard]] Status release_held_back(const resolver::StoreLayout& layout, const std::string& state_dir,
                                       const std::string& tool);

}  // namespace rtx::store
