// node's dist folder in the mirror (layouts.hpp): <node>/v<v>/<tarballs>,
// <node>/v<v>/SHASUMS256.txt (the upstream's own file when this machine's
// mirror still serves it, with its .sig/.asc, so gpg signatures verify behind
// the exported mirror too; else lines for the exported files), then
// <node>/index.json with only the exported versions (merged with the folder's).
#include <cctype>

#include "manager/backends/core/fetch.hpp"
#include "manager/mirror/documents.hpp"
#include "manager/mirror/layouts.hpp"
#include "manager/util/log.hpp"
#include "resolver/build_meta.hpp"

namespace rtx::mirror {
namespace {

constexpr const char* kNodeSumsName = "SHASUMS256.txt";

// A document of this machine's mirror, or nullopt (a debug line says why):
// what it adds (LTS names, the signed SHASUMS256.txt) has a fallback.
std::optional<std::string> node_optional_document(const backends::BackendEnv& env, const std::string& url) {
  auto text = backends::core::fetch_text(env, url, "check RTX_NODE_MIRROR");
  if (!text) {
    util::log_debug("mirror export: without " + url + ": " + text.error());
    return std::nullopt;
  }
  return std::move(*text);
}

// The LTS codename an installed build's aliases carry ("lts-iron" → "Iron").
std::string node_lts_of_build(const std::string& entry_path) {
  if (entry_path.empty()) return {};
  for (const auto& alias : resolver::load_build_meta(entry_path).aliases)
    if (alias.size() > 4 && alias.rfind("lts-", 0) == 0) {
      std::string name = alias.substr(4);
      name[0] = char(std::toupper(static_cast<unsigned char>(name[0])));
      return name;
    }
  return {};
}

Status node_plan_sums(const Publisher& folder, const backends::BackendEnv& env, const std::string& mirror,
                      const PreparedVersion& v, PendingWrites& out, std::vector<std::string>& notes) {
  const std::string rel = "node/v" + v.version + "/" + kNodeSumsName;
  std::vector<SumLine> lines;
  for (const auto& a : v.artifacts) lines.push_back({a.checksum.hex, a.rel.substr(a.rel.rfind('/') + 1)});
  auto existing = folder.read(rel);
  if (!existing) return Error{existing.error()};
  if (*existing && sums_cover(**existing, lines)) return ok_status();  // already lists them: its signature holds
  const std::string url = mirror + "/v" + v.version + "/" + kNodeSumsName;
  if (auto upstream = node_optional_document(env, url); upstream && sums_cover(*upstream, lines)) {
    out.documents.push_back({rel, std::move(*upstream)});
    for (const char* suffix : {".sig", ".asc"})
      out.documents.push_back({rel + suffix, node_optional_document(env, url + suffix)});
    return ok_status();
  }
  // Lines of our own: no signature can vouch for them, so none may stay beside them.
  notes.push_back("node " + v.version + ": " + url + " could not be read, so " + folder.path(rel) +
                  " lists the exported files only and has no signature");
  out.documents.push_back({rel, merge_sums(*existing ? **existing : "", lines)});
  for (const char* suffix : {".sig", ".asc"}) out.documents.push_back({rel + suffix, std::nullopt});
  return ok_status();
}

}  // namespace

Status plan_node_layout(const Publisher& folder, const backends::BackendEnv& env,
                        const std::vector<PreparedVersion>& versions, PendingWrites& out,
                        std::vector<std::string>& notes) {
  const Upstream& up = upstream_of(Layout::node);
  const std::string mirror = backends::core::mirror(up.variable, up.base);
  auto index = node_optional_document(env, mirror + "/index.json");
  std::vector<NodeIndexRelease> releases;
  for (const auto& v : versions) {
    NodeIndexRelease r{v.version, {}, {}, std::nullopt};
    for (const auto& a : v.artifacts) {
      out.artifacts.emplace_back(in_folder(Layout::node, a.rel), a);
      if (std::string key = node_file_key(a.platform); !key.empty()) r.files.push_back(key);
    }
    if (auto st = node_plan_sums(folder, env, mirror, v, out, notes); !st) return st;
    if (index) r.upstream = node_index_entry(*index, v.version);
    if (!r.upstream) r.lts = node_lts_of_build(v.entry_path);
    releases.push_back(std::move(r));
  }
  const std::string rel = "node/index.json";
  auto existing = folder.read(rel);
  if (!existing) return Error{existing.error()};
  auto text = merge_node_index(*existing ? **existing : "", folder.path(rel), releases);
  if (!text) return Error{text.error()};
  out.documents.push_back({rel, std::move(*text)});
  return ok_status();
}

}  // namespace rtx::mirror
