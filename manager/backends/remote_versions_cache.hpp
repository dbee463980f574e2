// The remote versions of each tool, as its backend last listed them, kept for
// completion (issue 9 item 3; docs/decisions.md "Remote versions in
// completion"): a TAB after `rtx install node@` must not wait for the network
// each time.
//
//   $RTX_CACHE_DIR/remote-versions/<tool>   one version per line, as list_remote()
//                                           gave them (oldest first); '/' in a
//                                           tool name becomes '+' (tool_dir_name)
//
//   backends::save_remote_versions(cache, "node", *versions);   // rtx ls-remote
//   auto cached = backends::load_remote_versions(cache, "node", remote_cache_ttl());
//   if (cached.fresh) …                                         // else refresh
//
// Only rtx writes the file, atomically (temporary name, rename), and only
// versions that pass resolver::validate_version. Reading trusts nothing: a
// file that is not a regular file owned by this user, is too large, or holds
// one line that is not a valid version is refused whole (as if absent), so a
// damaged or planted file can never feed the shell odd words.
#pragma once

#include <chrono>
#include <string>
#include <string_view>
#include <vector>

#include "resolver/expected.hpp"

namespace rtx::backends {

// How long a list stays fresh: RTX_REMOTE_CACHE_TTL in seconds (0: always
// stale, so every TAB asks the network, within its deadline), else one hour.
// A value that is not a whole number of seconds counts as unset: completion
// has nowhere to report it.
inline constexpr std::chrono::seconds kDefaultRemoteCacheTtl{3600};
std::chrono::seconds remote_cache_ttl();

// $RTX_CACHE_DIR/remote-versions/<tool>.
std::string remote_versions_path(const std::string& cache_dir, std::string_view tool);

struct CachedVersions {
  bool present = false;               // a file that passed every check
  bool fresh = false;                 // present and younger than the TTL
  std::chrono::seconds age{0};        // since it was written (offline notices show it)
  std::vector<std::string> versions;  // as stored (oldest first)
};

CachedVersions load_remote_versions(const std::string& cache_dir, std::string_view tool, std::chrono::seconds ttl);

// Replaces the tool's list (creating remote-versions/ if needed). Versions
// that fail resolver::validate_version are left out: nothing could install
// them anyway.
Status save_remote_versions(const std::string& cache_dir, std::string_view tool,
                            const std::vector<std::string>& versions);

}  // namespace rtx::backends
