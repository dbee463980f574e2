// rust's dist server in the mirror (layouts.hpp): the tarballs at their
// upstream paths (<rust>/dist/<date>/rust-<v>-<triple>.tar.xz),
// <rust>/dist/channel-rust-<v>.toml per version (only the `rust` package:
// what rtx's backend reads, not a full manifest rustup could use), then
// <rust>/versions.txt and <rust>/dist/channel-rust-stable.toml, a copy of the
// newest listed version's manifest (the backend lists versions from both).
#include <map>

#include "manager/backends/core/mirror_path.hpp"
#include "manager/mirror/documents.hpp"
#include "manager/mirror/layouts.hpp"

namespace rtx::mirror {
namespace {

std::string rust_manifest_rel(const std::string& channel) { return "rust/dist/channel-rust-" + channel + ".toml"; }

}  // namespace

Status plan_rust_layout(const Publisher& folder, const std::vector<PreparedVersion>& versions, PendingWrites& out) {
  std::map<std::string, std::string> manifests;  // version -> its new manifest
  std::vector<std::string> listed;
  for (const auto& v : versions) {
    std::vector<RustTargetDoc> targets;
    for (const auto& a : v.artifacts) {
      auto p = backends::core::lock_platforms({a.platform});
      if (!p) return Error{"cannot export rust " + v.version + ": " + p.error()};
      targets.push_back({p->front().triple, a.url, a.checksum.hex});
      out.artifacts.emplace_back(in_folder(Layout::rust, a.rel), a);
    }
    const std::string rel = rust_manifest_rel(v.version);
    auto existing = folder.read(rel);
    if (!existing) return Error{existing.error()};
    auto text = merge_rust_manifest(*existing ? **existing : "", folder.path(rel), v.version, targets);
    if (!text) return Error{text.error()};
    out.documents.push_back({rel, *text});
    manifests[v.version] = std::move(*text);
    listed.push_back(v.version);
  }
  const std::string rel = "rust/versions.txt";
  auto existing = folder.read(rel);
  if (!existing) return Error{existing.error()};
  auto text = merge_version_lines(*existing ? **existing : "", folder.path(rel),
                                  "# rust versions on this mirror (rtx mirror export)", listed);
  if (!text) return Error{text.error()};
  // The newest version listed: the last line.
  std::string newest = text->substr(0, text->size() - 1);
  newest = newest.substr(newest.rfind('\n') + 1);
  std::string stable;
  if (auto it = manifests.find(newest); it != manifests.end()) {
    stable = it->second;
  } else {
    auto kept = folder.read(rust_manifest_rel(newest));
    if (!kept) return Error{kept.error()};
    if (!*kept)
      return make_error(folder.path(rel) + " lists rust " + newest + " but " + folder.path(rust_manifest_rel(newest)) +
                        " is missing: export that version again");
    stable = std::move(**kept);
  }
  out.documents.push_back({rel, std::move(*text)});
  out.documents.push_back({rust_manifest_rel("stable"), std::move(stable)});
  return ok_status();
}

}  // namespace rtx::mirror
