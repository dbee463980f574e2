// Text from outside (a config value, a file name in a tarball, a registry's
// answer) is echoed in messages: escaped so it cannot drive the terminal, and
// cut so a 100 KB name does not become 400 KB of stderr.
#pragma once

#include <string>
#include <string_view>

namespace rtx::resolver {

inline constexpr std::size_t kMaxMessageBytes = 2048;

// Control characters (C0, DEL, and C1 as UTF-8) become \n, \t, \e or \xNN;
// past `max` bytes the rest is replaced by "…(+N bytes)".
std::string printable(std::string_view text, std::size_t max = kMaxMessageBytes);

// Does `text` hold a character no line-based file may carry (C0 controls,
// DEL)? Names and values with one are refused, never written (DESIGN.md §2).
bool has_control_chars(std::string_view text);

}  // namespace rtx::resolver
