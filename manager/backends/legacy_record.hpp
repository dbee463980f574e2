// The manager's half of asdf legacy version files (DESIGN.md §4,
// resolver/legacy_files.hpp): it runs the plugin scripts the shim must not
// and records what they said where the shim's walk reads it.
//
//   plugins add/link/update/remove, reshim, install  -> record_legacy_filenames
//   a manager command's walk meets an uncached file  -> legacy_parser
//     (rtx current/which/install, and `rtx __parse-legacy-file`, which the
//     shim execs on a cache miss)
//
// Both files are rewritten whole (temporary file, rename) under
// locks/.legacy-files.lock, so two managers never lose each other's lines.
#pragma once

#include <functional>
#include <string>
#include <vector>

#include "resolver/expected.hpp"
#include "resolver/legacy_files.hpp"
#include "resolver/request.hpp"
#include "resolver/store_layout.hpp"

namespace rtx::backends {

// Re-runs bin/list-legacy-filenames of `tools`' plugins (every plugin when
// `tools` is empty) into plugins/.legacy-filenames, and drops the lines of
// plugins that are gone. A plugin without the script has no line (its tool's
// built-in idiomatic files, if any, stay in use). A plugin whose script fails
// or prints a refused name gets no line and one warning line in the result:
// the calling command does not fail for it. `plugin_changed` (add, link,
// update, remove) also forgets those tools' cached parse-legacy-file answers.
std::vector<std::string> record_legacy_filenames(const resolver::StoreLayout& layout,
                                                 const std::vector<std::string>& tools, bool plugin_changed);

// Adds `answer` to plugins/.legacy-versions, replacing the line of the same
// tool and path, keeping the newest kLegacyCacheLines lines.
inline constexpr std::size_t kLegacyCacheLines = 512;
[[nodiscard]] Status cache_legacy_answer(const resolver::StoreLayout& layout, const resolver::LegacyAnswer& answer);

// The parser a manager command's RequestFinder uses: runs the plugin's
// bin/parse-legacy-file (with RTX_PLUGIN_TIMEOUT), and caches the answer
// when the file is still the one the walk checked (a file changing meanwhile
// gets this run's answer, uncached). `warn` gets a line when the cache cannot
// be written; the answer is still used.
resolver::RequestFinder::LegacyParser legacy_parser(const resolver::StoreLayout& layout,
                                                    std::function<void(const std::string&)> warn);

}  // namespace rtx::backends
