// Every state change is a write to a temporary file, then rename(2), then an
// fsync of the directory (DESIGN.md §2): no reader sees a half-written file.
#pragma once

#include <string>
#include <string_view>

#include "resolver/expected.hpp"

namespace rtx::store {

// Writes `content` to `path` atomically. The temporary name starts with '.',
// so directory listings of the store and installs/ never pick it up.
Status write_file_atomic(const std::string& path, std::string_view content, int mode = 0644);

// Points `link` at `target` atomically (a new symlink renamed over the old).
[[nodiscard]] Status replace_symlink(const std::string& link, const std::string& target);

}  // namespace rtx::store
