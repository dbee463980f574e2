// The artifacts of node, go, python and rust versions to export (prepare.hpp).
#include "manager/backends/core/core_backends.hpp"
#include "manager/backends/core/mirror_path.hpp"
#include "manager/mirror/artifact_cache.hpp"
#include "manager/mirror/prepare.hpp"

namespace rtx::mirror {
namespace {

const char* core_tool_name(Layout layout) {
  switch (layout) {
    case Layout::node:
      return "node";
    case Layout::go:
      return "go";
    case Layout::python:
      return "python";
    case Layout::rust:
      return "rust";
    case Layout::npm:
      break;
  }
  return "";
}

}  // namespace

Expected<std::vector<PreparedVersion>> prepare_core(const ExportOptions& options, Layout layout,
                                                    const std::vector<const Wanted*>& wanted,
                                                    std::vector<std::string>& exported) {
  const Upstream& up = upstream_of(layout);
  const std::string mirror = backends::core::mirror(up.variable, up.base);
  auto backend = backends::core::make_core_backend(options.env, core_tool_name(layout));
  std::vector<PreparedVersion> out;
  for (const Wanted* w : wanted) {
    const std::string what = w->tool + " " + w->version;
    std::vector<backends::Artifact> artifacts = w->locked;
    if (!w->from_lock) {
      // The build installed here: this platform's artifact, as `rtx lock` records it.
      auto listed = backend->lock_artifacts(w->version, {options.platform});
      if (!listed) return Error{"cannot export " + what + ": " + listed.error()};
      artifacts = std::move(*listed);
      if (artifacts.empty())
        return make_error("cannot export " + what + ": " + mirror + " lists no artifact of it for " + options.platform +
                          ": " + up.hint);
    }
    PreparedVersion v{w->tool, w->version, w->entry_path, {}};
    std::string platforms;
    for (const auto& a : artifacts) {
      const std::string label = what + " (" + a.platform + ")";
      auto rel = path_under(a.url, up.base, label);
      if (!rel) return Error{rel.error()};
      ArtifactSource src{label,
                         a.url,
                         backends::core::under_mirror(a.url, up.base, mirror),
                         a.checksum,
                         w->from_lock ? backends::core::ChecksumOrigin::lock : backends::core::ChecksumOrigin::index,
                         {},
                         up.hint};
      auto path = cached_artifact(options.env.cache_dir, src);
      if (!path) return Error{path.error()};
      v.artifacts.push_back({a.platform, a.url, *rel, a.checksum, *path});
      platforms += (platforms.empty() ? "" : ", ") + a.platform;
    }
    if (v.artifacts.empty()) continue;  // a lock entry with a version only
    exported.push_back(what + " (" + platforms + ")");
    out.push_back(std::move(v));
  }
  return out;
}

}  // namespace rtx::mirror
