// What a build records beside its prefix at install time (<entry>.meta), so the
// shim needs no plugin run: bin directories and the effect of bin/exec-env.
#pragma once

#include "resolver/expected.hpp"

#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace rtx::resolver {

struct BuildMeta {
  std::vector<std::string> bin_dirs;                     // relative to the prefix
  std::vector<std::pair<std::string, std::string>> env;  // set as given
  std::vector<std::string> path_prepend;                 // absolute dirs put before PATH
  // Names the backend gives this version besides its own ("lts", "lts-iron"):
  // the manager links installs/<tool>/<alias> to the newest build carrying it.
  std::vector<std::string> aliases;

  // The .meta text; an error when a name or value holds a control character
  // (a line break would add lines: DESIGN.md §2), naming it.
  Expected<std::string> serialize() const;
};

// Lines: "bin <dir>", "env <KEY>=<VALUE>", "path <dir>", "alias <name>".
// Unknown lines are ignored.
BuildMeta parse_build_meta(std::string_view text);

// Reads <entry>.meta; a build without one exposes "bin".
BuildMeta load_build_meta(const std::string& entry_path);

// The executable `command` in the build, or empty.
std::string find_command(const std::string& entry_path, const BuildMeta& meta, std::string_view command);

}  // namespace rtx::resolver
