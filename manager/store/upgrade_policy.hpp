// The decisions of an upgrade's commit (DESIGN.md §6 step 5, §7), made under
// the tool lock against the store found there: what the request resolves to
// now (the build the new one supersedes), and whether a tracked config still
// needs that build once the new one is in.
#pragma once

#include <string>
#include <vector>

#include "resolver/request.hpp"
#include "resolver/store_layout.hpp"

namespace rtx::store {

// The READY build `request` resolves to now ("" when none, or `system`).
// Reads without locks: the caller holds the tool lock (or takes a snapshot).
std::string resolved_entry(const resolver::StoreLayout& layout, const resolver::Request& request);

struct StillNeeded {
  std::string config;                 // the first config that still resolves to the old build, or empty
  std::vector<std::string> warnings;  // configs that could not be read or parsed, one line each
};

// Will any of `configs` still resolve `tool` to `old` (an entry name) once
// `fresh` (the new build's entry, its meta written) is READY? A config that
// cannot be parsed resolves nothing (the shim refuses it), so it keeps no build
// READY: it is named in `warnings` and skipped.
StillNeeded still_needed(const resolver::StoreLayout& layout, const std::string& tool, const std::string& old,
                         const std::string& fresh, const std::vector<std::string>& configs);

}  // namespace rtx::store
