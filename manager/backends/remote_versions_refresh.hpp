// Remote versions for a TAB (issue 9 item 3; docs/decisions.md "Remote
// versions in completion"): never more than a short deadline of waiting, and
// never a word on the terminal.
//
//   auto versions = backends::remote_versions_for_tab(env, "node");  // oldest first
//
// 1. A fresh cache (remote_versions_cache.hpp) answers at once.
// 2. Otherwise a refresher is started unless one is already running for the
//    tool: a child of this process in its own session, stdio on /dev/null,
//    that lists the versions through the tool's backend and saves them. It
//    holds remote-versions/.<tool>.lock (flock) until it ends, and ends within
//    kRemoteRefreshBudget whatever the network does (SIGALRM).
// 3. This process waits for that lock to come free, at most `deadline`, then
//    answers from the cache as it is then: the new list, the stale one, or
//    nothing. A refresher still running carries on, so the next TAB finds
//    the list fresh even on a network slower than the deadline.
#pragma once

#include <chrono>
#include <string>
#include <vector>

#include "manager/backends/backend_env.hpp"

namespace rtx::backends {

// How long a TAB may wait for the network: long enough for a normal index
// fetch (node's index.json is ~300 KB), short enough not to feel stuck.
inline constexpr std::chrono::milliseconds kRemoteVersionsTabDeadline{2000};
// How long a refresher may run in all, retries included.
inline constexpr std::chrono::seconds kRemoteRefreshBudget{30};

std::vector<std::string> remote_versions_for_tab(const BackendEnv& env, const std::string& tool,
                                                 std::chrono::milliseconds deadline = kRemoteVersionsTabDeadline);

}  // namespace rtx::backends
