// One config file: which tools it names and with which specs (DESIGN.md §4).
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "resolver/expected.hpp"

namespace rtx::resolver {

struct ToolEntry {
  std::string tool;
  std::vector<std::string> specs;  // fallbacks, in order
  int line = 0;
};

struct ConfigFile {
  std::string path;
  std::vector<ToolEntry> tools;

  const ToolEntry* find(std::string_view tool) const;
};

enum class ConfigFormat { Toml, ToolVersions };

// The format from the file name: ".tool-versions" or TOML.
ConfigFormat format_of(std::string_view path);

// Parses text; errors read "<path>:<line>: what is wrong (how to fix)".
Expected<ConfigFile> parse_config(std::string path, std::string_view text, ConfigFormat format);

// A tool name: letters, digits and -_. (a plugin name, a folder of its own),
// or "<backend>:<package>" where the package may also hold '@' and '/'
// (npm:@scope/pkg); never "..", at most 128 bytes (DESIGN.md §4).
Status validate_tool_name(std::string_view tool);

}  // namespace rtx::resolver
