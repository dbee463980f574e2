// The properties both config forms promise (DESIGN.md §4): what a file names
// is a valid tool with specs that parse; an error names the file.
#pragma once

#include "fuzz/fuzz_check.hpp"
#include "resolver/config_file.hpp"
#include "resolver/version_spec.hpp"

namespace rtx::fuzz {

inline void check_config(std::string_view text, resolver::ConfigFormat format) {
  const std::string path = format == resolver::ConfigFormat::Toml ? "/p/rtx.toml" : "/p/.tool-versions";
  auto parsed = resolver::parse_config(path, text, format);
  if (!parsed) {
    FUZZ_CHECK(parsed.error().rfind(path, 0) == 0);  // "<path>:<line>: …"
    return;
  }
  FUZZ_CHECK(parsed->path == path);
  for (const auto& entry : parsed->tools) {
    FUZZ_CHECK(resolver::validate_tool_name(entry.tool).ok());
    FUZZ_CHECK(parsed->find(entry.tool) != nullptr);
    for (const auto& spec : entry.specs) FUZZ_CHECK(resolver::parse_spec(spec).ok());
  }
}

}  // namespace rtx::fuzz
