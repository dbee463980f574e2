// Whether a symlink an archive wants to create stays inside the destination
// (DESIGN.md §9: "links pointing outside the prefix").
//
// The target is evaluated against the link's own directory, as the kernel
// will. A lexical walk alone is not enough: in "d/up/../.." the kernel first
// follows d/up, and if that is a symlink to "..", the next ".." climbs out of
// the destination although the text looks harmless. So a ".." that follows a
// component named by the target must leave a plain directory of the tree (one
// no symlink can ever replace: extraction never replaces a directory). With
// that, every symlink in the tree is checked, and by induction any path
// through them resolves inside.
#pragma once

#include <functional>
#include <string_view>

#include "manager/archive/entry_path.hpp"
#include "resolver/expected.hpp"

namespace rtx::archive {

// True when every component of the path (relative to the destination) is a
// real directory already extracted.
using IsPlainDir = std::function<bool(const PathParts&)>;

// `link_dir`: the components of the directory holding the link. The error is a
// reason completing "entry 'E' …".
Status check_symlink_target(const PathParts& link_dir, std::string_view target, const IsPlainDir& is_plain_dir);

}  // namespace rtx::archive
