// Symlink targets in archives (manager/archive/symlink_check.cpp, DESIGN.md §9).
// Input: the link's directory on the first line, its target after it.
//
// The check is run against a model tree, so its promise can be tested by
// resolving the path the way the kernel would: every directory exists, and
// a component named "up…" below the top is a symlink to ".." (one the check
// itself would accept: it climbs one level from a directory at least one
// deep). A link the check accepts must never resolve above the destination.
#include <string>

#include "fuzz/fuzz_check.hpp"
#include "manager/archive/symlink_check.hpp"

using namespace rtx::archive;

namespace {

bool is_link(const std::string& name, std::size_t depth) { return depth > 0 && name.rfind("up", 0) == 0; }

bool is_plain_dir(const PathParts& parts) {
  for (std::size_t i = 0; i < parts.size(); ++i)
    if (is_link(parts[i], i)) return false;
  return true;
}

// The physical depth reached by `target` from `dir`, or -1 once it climbs out.
long resolve(const PathParts& dir, std::string_view target) {
  PathParts at = dir;
  while (true) {
    std::string_view part;
    bool last = target.find('/') == std::string_view::npos;
    rtx::fuzz::split_once(target, '/', part, target);
    if (part == "..") {
      if (at.empty()) return -1;
      at.pop_back();
    } else if (!part.empty() && part != ".") {
      if (is_link(std::string(part), at.size())) {
        at.pop_back();  // "up" -> ".." from a directory at depth >= 1
      } else {
        at.emplace_back(part);
      }
    }
    if (last) return long(at.size());
  }
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  std::string_view dir_text, target;
  rtx::fuzz::split_once(rtx::fuzz::as_text(data, size), '\n', dir_text, target);
  auto dir = split_entry_path(dir_text);
  if (!dir || !is_plain_dir(*dir)) return 0;  // links are only ever made in real directories
  auto st = check_symlink_target(*dir, target, is_plain_dir);
  if (!st) {
    FUZZ_CHECK(!st.error().empty());
    return 0;
  }
  FUZZ_CHECK(!target.empty() && target[0] != '/');
  FUZZ_CHECK(resolve(*dir, target) >= 0);
  return 0;
}
