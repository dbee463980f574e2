// asdf plugins' legacy version files (DESIGN.md §4, docs/decisions.md "asdf
// legacy version files"): the file names a plugin's bin/list-legacy-filenames
// prints and the answers of its bin/parse-legacy-file. The shim runs neither
// script: the manager records both in two rtx-owned files the walk reads.
//
//   plugins/.legacy-filenames   one line per plugin that has the script:
//                               "<tool> <name> <name>…" (names in its order)
//   plugins/.legacy-versions    one line per cached parse-legacy-file answer:
//                               "<tool> <dev> <ino> <size> <mtime_ns> <ctime_ns>
//                                <version> <path>" (the path is the rest)
//
// Both are line files under DESIGN.md §2's rules: nothing with a control
// character is ever written, and a line that breaks a rule is skipped when
// read (rtx never writes one; a hand edit must not choose what runs).
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "resolver/config_read.hpp"
#include "resolver/expected.hpp"
#include "resolver/store_layout.hpp"

namespace rtx::resolver {

inline std::string legacy_filenames_path(const StoreLayout& layout) {
  return layout.plugins_dir() + "/.legacy-filenames";
}
inline std::string legacy_versions_path(const StoreLayout& layout) {
  return layout.plugins_dir() + "/.legacy-versions";
}

// Why `name` cannot be a legacy file name (empty when it can): it must be a
// plain name in one directory (no '/', not "." or ".."), without whitespace or
// control characters, at most 255 bytes, and not one of rtx's own config
// names (a plugin must not take over .tool-versions).
std::string legacy_name_problem(std::string_view name);

struct LegacyPlugin {
  std::string tool;
  std::vector<std::string> names;
};

// plugins/.legacy-filenames. A line whose tool or any name breaks the rules
// is skipped whole; a tool's first line wins.
std::vector<LegacyPlugin> parse_legacy_filenames(std::string_view text);
// The file's text for `plugins` (each already checked with the rules above).
std::string format_legacy_filenames(const std::vector<LegacyPlugin>& plugins);

// A parse-legacy-file answer, and (version empty) the key it is looked up by.
struct LegacyAnswer {
  std::string tool;
  std::string path;  // absolute
  FileIdentity identity;
  std::string version;
};

// plugins/.legacy-versions, or RTX_LEGACY_ANSWER (the same lines). A line
// whose tool, path or version breaks a rule is skipped.
std::vector<LegacyAnswer> parse_legacy_answers(std::string_view text);
// One line without its '\n'; empty when `answer` cannot be one (a control
// character in its path, a tool or version that is not valid).
std::string format_legacy_answer(const LegacyAnswer& answer);
// The answer for the same tool, path and identity, or null.
const LegacyAnswer* find_legacy_answer(const std::vector<LegacyAnswer>& answers, const LegacyAnswer& key);

// What bin/parse-legacy-file printed, checked: exactly one version on one line
// (surrounding whitespace ignored). Errors say what it printed.
Expected<std::string> legacy_output_version(std::string_view output);

// The version a plain legacy file holds (a plugin without
// bin/parse-legacy-file: asdf reads the content): the first line that is not
// blank or a '#' comment, trimmed, which must be one version. Empty when the
// file holds none; errors name path:line.
Expected<std::pair<std::string, int>> legacy_file_version(const std::string& path, std::string_view text);

}  // namespace rtx::resolver
