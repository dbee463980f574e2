// An npm registry as static files (layouts.hpp). A client asks
// <registry>/<name> for the package document (a scoped one as @scope%2fname)
// and <registry>/<name>/-/<file>.tgz for a tarball, so <name> must be a
// folder: the document is <npm>/<name>/index.html, which a static server
// sends for /npm/<name> after redirecting to /npm/<name>/ (it decodes %2f
// into the folder @scope/name). Its tarball URLs are the upstream's
// (https://registry.npmjs.org/<name>/-/<file>.tgz): npm's replace-registry-host
// (its default, and rtx's) fetches those from the configured registry.
// dist.integrity and dist.signatures stay as the registry published them, and
// its keys are copied to <npm>/-/npm/v1/keys, so signatures verify here too.
#include <cstdint>
#include <ctime>
#include <map>

#include "manager/backends/core/npm_registry_client.hpp"
#include "manager/mirror/documents.hpp"
#include "manager/mirror/layouts.hpp"

namespace rtx::mirror {

namespace {

// "2024-02-14T10:00:00.000Z", as the registry's "time" gives it.
std::string npm_iso_time(std::int64_t seconds) {
  std::time_t t = static_cast<std::time_t>(seconds);
  std::tm tm{};
  char buf[32];
  if (!::gmtime_r(&t, &tm) || std::strftime(buf, sizeof buf, "%Y-%m-%dT%H:%M:%S.000Z", &tm) == 0) return {};
  return buf;
}

}  // namespace

Status plan_npm_layout(const Publisher& folder, const PreparedNpmSet& set, PendingWrites& out) {
  std::map<std::string, std::map<std::string, boost::json::object>> by_name;
  std::map<std::string, std::map<std::string, std::string>> times;
  for (const auto& p : set.packages) {
    boost::json::object dist{{"tarball", std::string(backends::core::kNpmUpstreamRegistry) + "/" + p.tarball.rel},
                             {"integrity", p.integrity.empty() ? p.tarball.checksum.to_sri() : p.integrity}};
    if (!p.signatures.empty()) {
      boost::json::array sigs;
      for (const auto& s : p.signatures) sigs.push_back(boost::json::object{{"keyid", s.keyid}, {"sig", s.sig}});
      dist["signatures"] = std::move(sigs);
    }
    auto doc = npm_version_document(p.package_json, p.json_path, p.name, p.version, std::move(dist));
    if (!doc) return Error{doc.error()};
    by_name[p.name][p.version] = std::move(*doc);
    if (p.published)
      if (std::string when = npm_iso_time(*p.published); !when.empty()) times[p.name][p.version] = when;
    out.artifacts.emplace_back(in_folder(Layout::npm, p.tarball.rel), p.tarball);
  }
  // Where npm clients (and rtx) ask for the keys the signatures are checked with.
  if (set.keys) out.documents.push_back({"npm/-/npm/v1/keys", *set.keys});
  for (const auto& [name, versions] : by_name) {
    const std::string rel = "npm/" + name + "/index.html";
    auto existing = folder.read(rel);
    if (!existing) return Error{existing.error()};
    auto tags = set.tags.find(name);
    auto text =
        merge_packument(*existing ? **existing : "", folder.path(rel), name, versions,
                        tags == set.tags.end() ? std::map<std::string, std::string>() : tags->second, times[name]);
    if (!text) return Error{text.error()};
    out.documents.push_back({rel, std::move(*text)});
  }
  return ok_status();
}

}  // namespace rtx::mirror
