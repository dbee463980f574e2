// Every config file a manager command has read, recorded in
// $RTX_STATE_DIR/tracked-configs (as mise's tracked configs): `rtx upgrade`
// never retires a build that one of them still resolves to.
#pragma once

#include <string>
#include <vector>

#include "resolver/expected.hpp"

namespace rtx::config {

// Adds paths (absolute) to the list; atomic, tolerant of concurrent writers
// (each merges what is there).
Status track_configs(const std::string& state_dir, const std::vector<std::string>& paths);

// The tracked paths that still exist.
std::vector<std::string> tracked_configs(const std::string& state_dir);

}  // namespace rtx::config
