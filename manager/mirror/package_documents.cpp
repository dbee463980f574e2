// rust's channel manifest and npm's package document of an exported mirror
// (documents.hpp).
#include <algorithm>
#include <boost/json/serialize.hpp>
#include <boost/json/string.hpp>
#include <sstream>

#include "manager/backends/core/mirror_path.hpp"
#include "manager/backends/core/rust.hpp"
#include "manager/mirror/documents.hpp"
#include "resolver/toml.hpp"

namespace rtx::mirror {
namespace {

Error mirror_refuse(const std::string& where, const std::string& why) {
  return make_error(where + " " + why +
                    ": it was not written by 'rtx mirror export'; move it away or export into another folder");
}

}  // namespace

Expected<std::string> merge_rust_manifest(std::string_view existing, const std::string& where,
                                          const std::string& version, const std::vector<RustTargetDoc>& targets) {
  std::vector<RustTargetDoc> all;
  if (!existing.empty()) {
    auto known = backends::core::lock_platforms({"linux-x64", "linux-arm64", "macos-x64", "macos-arm64"});
    std::vector<std::string> triples;
    for (const auto& p : *known) triples.push_back(p.triple);
    auto parsed = backends::core::parse_rust_targets(std::string(existing), where, triples);
    if (!parsed) return mirror_refuse(where, "is not a rust channel manifest (" + parsed.error() + ")");
    if (parsed->version != version)
      return mirror_refuse(where, "describes rust " + parsed->version + ", not " + version);
    for (const auto& t : parsed->targets) all.push_back({t.triple, t.url, t.sha256});
  }
  for (const auto& t : targets) {
    auto same = std::find_if(all.begin(), all.end(), [&](const RustTargetDoc& d) { return d.triple == t.triple; });
    if (same != all.end()) {
      *same = t;
    } else {
      all.push_back(t);
    }
  }
  toml::table target;
  for (const auto& t : all)
    target.insert(t.triple, toml::table{{"available", true}, {"xz_url", t.xz_url}, {"xz_hash", t.xz_hash}});
  toml::table rust{{"version", version}};
  rust.insert("target", std::move(target));
  toml::table pkg;
  pkg.insert("rust", std::move(rust));
  toml::table root{{"manifest-version", "2"}};
  root.insert("pkg", std::move(pkg));
  std::ostringstream out;
  out << "# rust " << version << " for rtx (rtx mirror export): only the `rust` package, each target's xz build\n"
      << toml::toml_formatter(root, toml::toml_formatter::default_flags & ~toml::format_flags::indentation) << "\n";
  return out.str();
}

Expected<boost::json::object> npm_version_document(std::string_view package_json, const std::string& where,
                                                   const std::string& name, const std::string& version,
                                                   boost::json::object dist) {
  auto manifest = parse_json_value(package_json);
  if (!manifest || !manifest->is_object())
    return make_error(where + " is not a JSON object: the package is broken, install it again");
  boost::json::object doc = std::move(manifest->as_object());
  doc["name"] = name;
  doc["version"] = version;
  doc["dist"] = std::move(dist);
  return doc;
}

Expected<std::string> merge_packument(std::string_view existing, const std::string& where, const std::string& name,
                                      const std::map<std::string, boost::json::object>& versions,
                                      const std::map<std::string, std::string>& tags,
                                      const std::map<std::string, std::string>& times) {
  boost::json::object doc;
  boost::json::object all;
  boost::json::object dist_tags;
  boost::json::object time;
  if (!existing.empty()) {
    auto old = parse_json_value(existing);
    if (!old || !old->is_object()) return mirror_refuse(where, "is not an npm package document (not a JSON object)");
    doc = std::move(old->as_object());
    const auto* n = doc.if_contains("name");
    if (!n || !n->is_string() || n->as_string() != name)
      return mirror_refuse(where, "is not the npm package document of " + name);
    if (auto* v = doc.if_contains("versions")) {
      if (!v->is_object()) return mirror_refuse(where, "has a \"versions\" that is not an object");
      all = std::move(v->as_object());
    }
    if (auto* t = doc.if_contains("dist-tags"); t && t->is_object()) dist_tags = std::move(t->as_object());
    if (auto* t = doc.if_contains("time"); t && t->is_object()) time = std::move(t->as_object());
  }
  for (const auto& [v, d] : versions) all[v] = d;
  for (const auto& [tag, v] : tags) dist_tags[tag] = v;
  boost::json::object kept_tags;
  for (const auto& [tag, v] : dist_tags)
    if (v.is_string() && all.contains(v.as_string())) kept_tags[tag] = v;
  for (const auto& [v, when] : times) time[v] = when;
  boost::json::object kept_times;
  for (const auto& [v, when] : time)
    if (all.contains(v)) kept_times[v] = when;
  doc["name"] = name;
  doc["dist-tags"] = std::move(kept_tags);
  doc["versions"] = std::move(all);
  if (kept_times.empty()) {
    doc.erase("time");
  } else {
    doc["time"] = std::move(kept_times);
  }
  return boost::json::serialize(doc) + "\n";
}

}  // namespace rtx::mirror
