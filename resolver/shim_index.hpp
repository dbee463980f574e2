// shims/.index: which tools provide a command. One line per command:
// "<command>\t<tool>[\t<tool>…]", written atomically by `rtx reshim`, sorted by
// command (byte order), so a shim finds its line by binary search.
#pragma once

#include <string>
#include <string_view>
#include <vector>

namespace rtx::resolver {

// Tools providing `command`, in index order; empty when none. Reads every
// line up to the command's (the index as any writer left it).
std::vector<std::string> tools_for_command(std::string_view index_text, std::string_view command);

// The same answer, found by binary search over the lines: O(log n) lines read
// in an index sorted by command. In one that is not sorted (written by hand, or
// by an older rtx), a command the search misses is looked for line by line, so
// the answer never depends on the order; only its cost does. Where commands
// repeat, which of their lines answers is unspecified (reshim writes each once).
std::vector<std::string> tools_for_command_sorted(std::string_view index_text, std::string_view command);

// tools_for_command_sorted() on the file at `path`, mapped rather than read
// when it is large, so a lookup touches only the pages it searches. Returns 0,
// or the errno of the failure (ENOENT when absent).
int tools_for_command_in_file(const std::string& path, std::string_view command, std::vector<std::string>& tools);

}  // namespace rtx::resolver
