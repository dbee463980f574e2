// Modes of what rtx writes under its roots (DESIGN.md §2): nothing group- or
// world-writable, never setuid, setgid or sticky. Extraction applies the mask
// as it writes (manager/archive); a plugin's own build is walked afterwards.
#pragma once

#include <sys/types.h>

#include <string>

#include "resolver/expected.hpp"

namespace rtx::util {

// The permission bits rtx keeps: the owner's as given, read and execute for
// group and others at most (a mask of 022, and no 07000 bits).
inline constexpr mode_t kKeptModeBits = 0755;

inline mode_t kept_mode(mode_t mode) { return mode & kKeptModeBits; }

// Walks the tree at `root` (a directory) and clears g+w, o+w, setuid, setgid
// and sticky on every directory and file in it, `root` included. Symlinks are
// never followed nor changed; a directory is masked before it is listed, so
// nobody else can swap its entries once the walk looks at them. Other owners'
// files are left as they are (chmod could not change them anyway). The error
// names the path and the reason.
Status mask_tree_modes(const std::string& root);

}  // namespace rtx::util
