// Steps 2–4 of DESIGN.md §5: pinned path, fast path, slow path. The order is
// model-checked (shared/models/lease_reap.pml): the state is read only after
// the shared lease lock; a failing pin is dropped, never retried; the one
// slow-path try holds the tool lock shared.
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "resolver/request.hpp"
#include "resolver/store_layout.hpp"
#include "resolver/unique_fd.hpp"

namespace rtx::resolver {

struct Acquired {
  std::string version;     // the installed version chosen ("system" for system)
  std::string entry_path;  // the build's store path; empty for system
  UniqueFd lease;          // LOCK_SH held on the build's lease
  bool from_pin = false;
  std::string warning;  // one line to print (a dropped pin), or empty
};

// An installed build a request may resolve to, best first.
struct Candidate {
  std::string version;
  std::string entry;  // "<version>-<build>"; empty marks a `system` spec
};

std::vector<Candidate> list_candidates(const StoreLayout& layout, const Request& request);

// The first of list_candidates() without reading every pointer (the fast path).
std::optional<Candidate> best_candidate(const StoreLayout& layout, const Request& request);

// true: `out` holds a READY (or pinned RETIRED) build under LOCK_SH, or
// out.version == "system" for a system spec (the caller looks up PATH).
bool acquire_build(const StoreLayout& layout, const Request& request, Acquired& out);

// Opens a build's lease (never O_CREAT) and takes LOCK_SH|LOCK_NB; invalid fd if
// the lease is missing or an exclusive holder (a reaper) has it.
UniqueFd lock_lease_shared(const std::string& entry_path);

}  // namespace rtx::resolver
