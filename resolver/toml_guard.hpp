// TOML allows non-ASCII text only inside strings and comments (bare keys are
// ASCII). Debian's toml++ 3.3.0 reaches undefined behaviour on some non-ASCII
// bytes elsewhere (upstream tomlplusplus#294/#295, found by fuzz/config_toml):
// every TOML text rtx parses is checked here first, so such a file is one
// clear error instead.
#pragma once

#include <string>
#include <string_view>

namespace rtx::resolver {

// 0 when `text` has no byte >= 0x80 outside strings and comments (a leading
// UTF-8 BOM is fine) and every string starts where TOML allows one; otherwise
// the 1-based line of the first offence.
int toml_non_ascii_line(std::string_view text);

// "<source>:<line>: a non-ASCII character outside a string or comment: …", or empty.
std::string toml_text_problem(std::string_view text, std::string_view source);

}  // namespace rtx::resolver
