// python-build-standalone's release folders in the mirror (layouts.hpp):
// <python>/<tag>/<build>, <python>/<tag>/SHA256SUMS (lines for the exported
// builds, merged with the folder's), then <python>/releases.txt, the list of
// tags a mirror other than upstream must serve (manager/backends/core/python.hpp).
#include <map>
#include <set>

#include "manager/mirror/documents.hpp"
#include "manager/mirror/layouts.hpp"

namespace rtx::mirror {

Status plan_python_layout(const Publisher& folder, const std::vector<PreparedVersion>& versions, PendingWrites& out) {
  std::map<std::string, std::vector<SumLine>> by_tag;  // release tag -> its exported builds
  for (const auto& v : versions)
    for (const auto& a : v.artifacts) {
      std::size_t slash = a.rel.find('/');
      if (slash == std::string::npos || a.rel.find('/', slash + 1) != std::string::npos)
        return make_error("cannot export python " + v.version + ": " + a.url +
                          " is not <release tag>/<file> under the python-build-standalone downloads");
      by_tag[a.rel.substr(0, slash)].push_back({a.checksum.hex, a.rel.substr(slash + 1)});
      out.artifacts.emplace_back(in_folder(Layout::python, a.rel), a);
    }
  std::vector<std::string> tags;
  for (const auto& [tag, lines] : by_tag) {
    const std::string rel = "python/" + tag + "/SHA256SUMS";
    auto existing = folder.read(rel);
    if (!existing) return Error{existing.error()};
    out.documents.push_back({rel, merge_sums(*existing ? **existing : "", lines)});
    tags.push_back(tag);
  }
  const std::string rel = "python/releases.txt";
  auto existing = folder.read(rel);
  if (!existing) return Error{existing.error()};
  auto text = merge_version_lines(*existing ? **existing : "", folder.path(rel),
                                  "# python-build-standalone releases on this mirror (rtx mirror export)", tags);
  if (!text) return Error{text.error()};
  out.documents.push_back({rel, std::move(*text)});
  return ok_status();
}

}  // namespace rtx::mirror
