// Which live processes hold which build, for `rtx ps` (DESIGN.md §7): one pass
// over /proc. A holder has an fd on a build's `.lease` (§5: the shim's lease
// fd, inherited by every descendant). For the builds in `watched` (RETIRED or
// REAPING ones) the same pass also runs the reaper's /proc safety net (§7 step
// 3: exe, cwd, other fds, mappings under the prefix), so a process that closed
// its lease fd is still seen. The one /proc scanner: proc_scan.hpp's questions
// about a single build are answered by the same pass, watching that build.
#pragma once

#include <sys/types.h>

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "resolver/store_layout.hpp"

namespace rtx::store {

struct BuildRef {
  std::string tool;   // the real tool name ("npm:@scope/pkg", not its '+' folder name)
  std::string entry;  // "<version>-<build>"
  bool operator==(const BuildRef&) const = default;
};

struct ProcessInfo {
  std::int64_t started = 0;  // Unix time in seconds (UTC): boot time + starttime ticks
  std::string command;       // /proc/<pid>/cmdline with NULs as spaces; "[comm]" when empty
};

struct Holding {
  pid_t pid = 0;
  BuildRef build;
  std::string how;      // "lease", or what the safety net saw: "exe", "cwd", "fd", "map"
  ProcessInfo process;  // read in the same pass, so a recycled pid cannot slip in later
};

// Every (process, build) pair, once each, in no particular order. `only_tool`
// non-empty: that tool's builds only. This process is never reported, nor
// processes whose /proc entries we may not read (other users'), nor processes
// that exit during the scan. With many processes the work is shared among a
// few threads: the cost is the kernel's, per process.
std::vector<Holding> scan_holdings(const resolver::StoreLayout& layout, const std::string& only_tool,
                                   const std::vector<BuildRef>& watched);

// Start time and command line of a live process; nothing once it is gone.
std::optional<ProcessInfo> process_info(pid_t pid);

}  // namespace rtx::store
