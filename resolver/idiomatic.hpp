// Idiomatic version files (DESIGN.md §4): the files a team may already commit
// for another tool (.nvmrc, .python-version, rust-toolchain.toml, …). They
// count only for the tools the user enabled, as in mise, and rank after the
// rtx/mise/asdf files of the same directory.
#pragma once

#include <iterator>
#include <string>
#include <string_view>
#include <vector>

#include "resolver/config_file.hpp"
#include "resolver/expected.hpp"

namespace rtx::resolver {

struct IdiomaticFile {
  const char* name;
  const char* tool;
};

// In precedence order within one directory.
inline constexpr IdiomaticFile kIdiomaticFiles[] = {
    {".nvmrc", "node"},    {".node-version", "node"},       {".python-version", "python"}, {".ruby-version", "ruby"},
    {".go-version", "go"}, {"rust-toolchain.toml", "rust"}, {"rust-toolchain", "rust"},
};
inline constexpr std::size_t kIdiomaticCount = std::size(kIdiomaticFiles);

// The tools whose idiomatic files count: RTX_IDIOMATIC_VERSION_FILE_ENABLE_TOOLS
// (comma-separated) when set, else `[settings] idiomatic_version_file_enable_tools
// = ["node", …]` of the global config's text.
std::vector<std::string> idiomatic_tools(std::string_view global_config_text);

// The request in idiomatic file `file` (its text read from `path`): a config
// naming file.tool with the file's specs, or naming nothing when the file
// holds no version. Translations, as the tools that own the files read them:
// "v20" -> 20, "lts/*" -> lts, "lts/iron" -> lts-iron, "node"/"stable" ->
// latest; .python-version lines are fallbacks; "ruby-3.3.0" -> 3.3.0,
// "go1.22" -> 1.22; rust's channel "stable" -> latest. Errors name path:line.
Expected<ConfigFile> parse_idiomatic(std::string path, const IdiomaticFile& file, std::string_view text);

// Any file a request can come from, parsed by its name: an idiomatic file as
// above, anything else as parse_config does (the manager re-reads tracked
// configs this way, DESIGN.md §7, and a tracked .nvmrc is not TOML).
Expected<ConfigFile> parse_any_config(std::string path, std::string_view text);

}  // namespace rtx::resolver
