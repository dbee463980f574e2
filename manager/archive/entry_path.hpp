// Entry names as path components (DESIGN.md §9). An entry is written only by
// components relative to the destination, so a name is safe once it is not
// absolute and has no ".." component; "" and "." components carry nothing.
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "resolver/expected.hpp"

namespace rtx::archive {

using PathParts = std::vector<std::string>;

// Splits `name` on '/', dropping empty and "." components. The error is a
// reason completing "entry 'E' …" (absolute, climbing with "..", longer
// than PATH_MAX, or deeper than kMaxPathComponents).
Expected<PathParts> split_entry_path(std::string_view name);

// Drops the first `count` components, as `tar --strip-components`. Empty when
// the entry vanishes entirely (it is then skipped).
PathParts strip_components(PathParts parts, int count);

// "a/b/c" from the first `count` components (all by default).
std::string join_parts(const PathParts& parts, std::size_t count = std::size_t(-1));

}  // namespace rtx::archive
