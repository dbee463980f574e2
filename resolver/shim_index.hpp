// shims/.index: which tools provide a command. One line per command:
// "<command>\t<tool>[\t<tool>…]", written atomically by `rtx reshim`.
#pragma once

#include <string>
#include <string_view>
#include <vector>

namespace rtx::resolver {

// Tools providing `command`, in index order; empty when none.
std::vector<std::string> tools_for_command(std::string_view index_text, std::string_view command);

}  // namespace rtx::resolver
