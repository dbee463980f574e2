// DESIGN.md §2: a root, or one of the store's own folders, that another user
// can write (group/world-writable, or owned by a uid other than ours or root's)
// lets that user choose what our shims run. Every manager command refuses such
// a setup, as ssh refuses a writable ~/.ssh; `rtx doctor` lists them all.
#pragma once

#include <string>
#include <vector>

#include "resolver/expected.hpp"
#include "resolver/roots.hpp"

namespace rtx::util {

struct UnsafeRoot {
  std::string path;
  std::string problem;  // "is group- and world-writable (mode 0777)", …
  std::string fix;      // "chmod go-w /path"
};

// Every unsafe folder among the data and config roots and the data root's
// store/, installs/, shims/, plugins/ and locks/ (missing ones are fine).
std::vector<UnsafeRoot> unsafe_roots(const resolver::Roots& roots);

// The first of unsafe_roots() as one error line, or ok.
Status check_roots(const resolver::Roots& roots);

}  // namespace rtx::util
