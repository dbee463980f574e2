// The node dist folder's documents (DESIGN.md §8): index.json, the list of
// releases with their LTS codenames and built files, and SHASUMS256.txt.
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "resolver/expected.hpp"

namespace rtx::backends::core {

struct NodeRelease {
  std::string version;  // without the "v": "20.11.1"
  std::string lts;      // the LTS codename as published ("Iron"), empty when not an LTS
};

// The releases in `json` (index.json) that have a build named `file_key`
// (e.g. "linux-x64"), oldest first. `url` names the document in errors.
Expected<std::vector<NodeRelease>> parse_node_index(std::string_view json, const std::string& file_key,
                                                    const std::string& url);

// The newest release an LTS spec selects: "lts" (any LTS), "lts-<codename>"
// or "lts/<codename>" (case-insensitive). An empty string when `spec` is not
// an LTS spec; an error when no release carries the codename.
Expected<std::string> pick_node_lts(const std::vector<NodeRelease>& releases, std::string_view spec,
                                    const std::string& url);

// The aliases an installed `release` carries: "lts" and "lts-<codename>"
// (lower case) for an LTS release, none otherwise.
std::vector<std::string> node_aliases(const NodeRelease& release);

// The sha256 hex digest SHASUMS256.txt (`text`, "<hex>  <filename>" lines)
// gives for exactly `filename`, or an empty string when it has no such line.
std::string shasums_lookup(std::string_view text, std::string_view filename);

}  // namespace rtx::backends::core
