// The one retire sequence (DESIGN.md §3), used by every transition that
// retires a build: an upgrade's or reinstall's commit, a rollback (the newer
// build), an uninstall. Callers hold the tool lock.
#pragma once

#include <string>

#include "resolver/expected.hpp"
#include "resolver/store_layout.hpp"

namespace rtx::store {

// Retires the READY build `entry` of `tool`, in this order: its version
// pointer goes (unless it already names another build of that version), the
// fuzzy links follow, then the state becomes RETIRED, so installs/ never names
// a build that is not READY; then `successor` (if any) is logged as what
// replaced it. False (nothing done) when `entry` is not READY.
[[nodiscard]] Expected<bool> retire_build(const resolver::StoreLayout& layout, const std::string& tool,
                                          const std::string& entry, const std::string& successor,
                                          const std::string& state_dir);

}  // namespace rtx::store
