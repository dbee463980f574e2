// The second half of an upgrade that rewrote a config (`rtx upgrade --bump`,
// DESIGN.md §7): the commit kept the old build READY because that config still
// asked for it; once the config asks for the new version, the old build is
// retired here, under the tool lock, unless another config still resolves to
// it. In between, every config resolves to a READY build.
#pragma once

#include <functional>
#include <string>
#include <vector>

#include "resolver/expected.hpp"
#include "resolver/store_layout.hpp"

namespace rtx::store {

struct SupersedeOutcome {
  bool retired = false;               // `old` is RETIRED now, `fresh` logged as its successor (rtx rollback)
  std::string kept_for;               // else, when a config still resolves to `old`: that config
  std::vector<std::string> warnings;  // unreadable configs, a failed reshim
};

// Retires `old` (an entry name) in favour of `fresh` when, under the tool lock,
// `old` is still READY, `fresh` is READY, and none of `configs` resolves `tool`
// to `old` (upgrade_policy.hpp's still_needed). Anything else: nothing done.
[[nodiscard]] Expected<SupersedeOutcome> retire_superseded(const resolver::StoreLayout& layout,
                                                           const std::string& state_dir, const std::string& shim_binary,
                                                           const std::string& tool, const std::string& old,
                                                           const std::string& fresh,
                                                           const std::vector<std::string>& configs);

}  // namespace rtx::store
