// Which live processes use one build, for the reaper (DESIGN.md §7): the lease
// holders (fds on the lease file) and the /proc safety net of step 3 (exe,
// cwd, open fds, maps). Answered by the one /proc scanner (lease_scan.cpp), so
// `rtx gc` and `rtx ps` never disagree on what counts as a use.
#pragma once

#include <sys/types.h>

#include <string>
#include <vector>

namespace rtx::store {

struct ProcessUse {
  pid_t pid = 0;
  std::string how;  // "lease", "exe", "cwd", "fd", "map"
};

// Processes holding an fd on `lease_file` ("<entry>.lease").
std::vector<pid_t> lease_holders(const std::string& lease_file);

// Processes using anything under `entry_path` (the prefix), or holding its lease.
// Processes whose /proc entries we may not read (other users') are not seen.
std::vector<ProcessUse> processes_using(const std::string& entry_path);

// True when some process holds a flock on the build's lease, seen or not
// (/proc/locks, read without taking the lock: a probe must not make a pinned
// shim drop its pin).
bool lease_locked(const std::string& entry_path);

// "1234 (lease), 5678 (map)".
std::string describe_uses(const std::vector<ProcessUse>& uses);

// Who keeps the build at `entry_path`: describe_uses(), or, when the lease is
// held but no process was seen, that a process rtx cannot see holds it and how
// to find it ('fuser <lease>', as that user or root).
std::string describe_holders(const std::vector<ProcessUse>& uses, const std::string& entry_path);
std::string unseen_holder(const std::string& entry_path);

}  // namespace rtx::store
