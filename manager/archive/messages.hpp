// The one-line errors of extraction (DESIGN.md §9): what went wrong, which
// archive and destination, how to fix it. Entry names come from untrusted
// archives, so they are made printable before they reach a message.
#pragma once

#include <string>
#include <string_view>

namespace rtx::archive {

// What every message names: the archive read and the directory asked for.
struct Context {
  std::string archive;
  std::string destination;
};

// Control characters escaped (a name with a newline must not split the line),
// long names shortened.
std::string printable(std::string_view name);

// An entry refused for safety or sanity; `reason` completes "entry 'E' …".
std::string refusal(const Context& ctx, std::string_view entry, std::string_view reason);

// A write that failed with `err` (errno). A full disk or quota is named as such.
std::string write_failure(const Context& ctx, std::string_view entry, int err);

// libarchive could not read on: a corrupt, truncated or unsupported file.
std::string read_failure(const Context& ctx, std::string_view detail);

// Sizes for messages: "8.0 GiB", "512 KiB", "17 bytes".
std::string human_size(unsigned long long bytes);

}  // namespace rtx::archive
