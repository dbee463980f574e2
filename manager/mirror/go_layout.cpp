// go's downloads folder in the mirror (layouts.hpp): <go>/<filename> for each
// archive, and the JSON the backend asks for as <mirror>/?mode=json&include=all.
// A static server drops the query and answers the folder's index document, so
// that JSON is written as <go>/index.html (nginx's `index`, an S3 website's
// index document and python's http.server all serve it for "/go/").
#include <sys/stat.h>

#include "manager/backends/core/fetch.hpp"
#include "manager/backends/core/mirror_path.hpp"
#include "manager/mirror/documents.hpp"
#include "manager/mirror/layouts.hpp"
#include "manager/util/log.hpp"

namespace rtx::mirror {

Status plan_go_layout(const Publisher& folder, const backends::BackendEnv& env,
                      const std::vector<PreparedVersion>& versions, PendingWrites& out) {
  const Upstream& up = upstream_of(Layout::go);
  const std::string index_url = backends::core::mirror(up.variable, up.base) + "/?mode=json&include=all";
  // Only for each release's "stable" flag: without it, a pre-release name says.
  auto upstream = backends::core::fetch_text(env, index_url, up.hint);
  if (!upstream) util::log_debug("mirror export: without " + index_url + ": " + upstream.error());
  std::vector<GoIndexRelease> releases;
  for (const auto& v : versions) {
    GoIndexRelease r{v.version, upstream ? go_index_stable(*upstream, v.version) : std::nullopt, {}};
    for (const auto& a : v.artifacts) {
      auto p = backends::core::lock_platforms({a.platform});
      if (!p) return Error{"cannot export go " + v.version + ": " + p.error()};
      struct stat st {};
      if (::stat(a.path.c_str(), &st) != 0) return make_error("cannot read " + a.path);
      r.files.push_back({a.rel, p->front().os, p->front().go_arch, a.checksum.hex, std::uint64_t(st.st_size)});
      out.artifacts.emplace_back(in_folder(Layout::go, a.rel), a);
    }
    releases.push_back(std::move(r));
  }
  const std::string rel = "go/index.html";
  auto existing = folder.read(rel);
  if (!existing) return Error{existing.error()};
  auto text = merge_go_index(*existing ? **existing : "", folder.path(rel), releases);
  if (!text) return Error{text.error()};
  out.documents.push_back({rel, std::move(*text)});
  return ok_status();
}

}  // namespace rtx::mirror
