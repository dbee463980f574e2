#include "manager/archive/entry_path.hpp"

#include <climits>

#include "manager/archive/limits.hpp"

namespace rtx::archive {

Expected<PathParts> split_entry_path(std::string_view name) {
  if (!name.empty() && name.front() == '/') return make_error("has an absolute path");
  // Every component becomes a directory: an unbounded name is an unbounded tree.
  if (name.size() >= PATH_MAX) return make_error("has a name longer than " + std::to_string(PATH_MAX - 1) + " bytes");
  PathParts parts;
  std::size_t start = 0;
  while (start <= name.size()) {
    std::size_t slash = name.find('/', start);
    if (slash == std::string_view::npos) slash = name.size();
    std::string_view part = name.substr(start, slash - start);
    if (part == "..") return make_error("climbs out of the destination with '..'");
    if (!part.empty() && part != ".") {
      if (parts.size() == kMaxPathComponents)
        return make_error("has more than " + std::to_string(kMaxPathComponents) +
                          " path components (limit of rtx): such a deep tree is not a toolchain");
      parts.emplace_back(part);
    }
    start = slash + 1;
  }
  return parts;
}

PathParts strip_components(PathParts parts, int count) {
  if (count <= 0) return parts;
  if (std::size_t(count) >= parts.size()) return {};
  parts.erase(parts.begin(), parts.begin() + count);
  return parts;
}

std::string join_parts(const PathParts& parts, std::size_t count) {
  std::string out;
  for (std::size_t i = 0; i < parts.size() && i < count; ++i) {
    if (i) out += '/';
    out += parts[i];
  }
  return out;
}

}  // namespace rtx::archive
