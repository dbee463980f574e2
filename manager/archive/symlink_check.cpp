#include "manager/archive/symlink_check.hpp"

#include "manager/archive/messages.hpp"

namespace rtx::archive {

Status check_symlink_target(const PathParts& link_dir, std::string_view target, const IsPlainDir& is_plain_dir) {
  const std::string shown = "'" + printable(target) + "'";
  if (target.empty()) return make_error("is a symlink with an empty target");
  if (target.front() == '/') return make_error("is a symlink to the absolute path " + shown);
  PathParts at = link_dir;
  std::size_t unchecked = 0;  // trailing components of `at` named by the target, not yet known to be plain dirs
  std::size_t start = 0;
  while (start <= target.size()) {
    std::size_t slash = target.find('/', start);
    if (slash == std::string_view::npos) slash = target.size();
    std::string_view part = target.substr(start, slash - start);
    start = slash + 1;
    if (part.empty() || part == ".") continue;
    if (part != "..") {
      at.emplace_back(part);
      ++unchecked;
      continue;
    }
    if (unchecked > 0) {
      if (!is_plain_dir(at))
        return make_error("is a symlink to " + shown + ", which climbs out of '" + printable(join_parts(at)) +
                          "', not a plain directory extracted before it");
      unchecked = 0;  // the whole of `at` is plain directories now
    }
    if (at.empty()) return make_error("is a symlink to " + shown + ", which points outside the destination");
    at.pop_back();
  }
  return ok_status();
}

}  // namespace rtx::archive
