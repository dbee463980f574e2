// Which live processes use a build: the lease holders (fds on the lease file)
// and the /proc safety net of DESIGN.md §7 step 3 (exe, cwd, open fds, maps).
#pragma once

#include <sys/types.h>

#include <string>
#include <vector>

namespace rtx::store {

struct ProcessUse {
  pid_t pid = 0;
  std::string how;  // "lease", "exe", "cwd", "fd", "map"
};

// Processes holding an fd on `lease_file`.
std::vector<pid_t> lease_holders(const std::string& lease_file);

// Processes using anything under `entry_path` (the prefix), or holding its lease.
std::vector<ProcessUse> processes_using(const std::string& entry_path);

// "1234 (lease), 5678 (map)".
std::string describe_uses(const std::vector<ProcessUse>& uses);

}  // namespace rtx::store
