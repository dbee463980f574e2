#include "manager/backends/core/npm_registry_client.hpp"

#include <unistd.h>

#include <simdjson.h>
#include <algorithm>
#include <cctype>
#include <optional>

#include "manager/backends/core/fetch.hpp"
#include "manager/backends/core/mirror_path.hpp"
#include "manager/net/downloader.hpp"
#include "manager/util/fs.hpp"
#include "resolver/file_io.hpp"

namespace rtx::backends::core {
namespace {

Expected<simdjson::dom::element> parse_json(simdjson::dom::parser& parser, const std::string& text,
                                            const std::string& what) {
  simdjson::dom::element doc;
  if (auto err = parser.parse(text).get(doc); err)
    return make_error(what + " is not valid JSON (" + simdjson::error_message(err) + ")");
  return doc;
}

// An object of strings ("dependencies"); entries that are not strings are skipped.
NpmDependencies string_map(simdjson::dom::element parent, const char* key) {
  NpmDependencies out;
  simdjson::dom::object obj;
  if (parent[key].get_object().get(obj)) return out;
  for (auto [name, value] : obj)
    if (std::string_view v; !value.get_string().get(v)) out.emplace_back(std::string(name), std::string(v));
  return out;
}

std::vector<std::string> string_list(simdjson::dom::element parent, const char* key) {
  std::vector<std::string> out;
  simdjson::dom::array arr;
  if (parent[key].get_array().get(arr)) return out;
  for (auto item : arr)
    if (std::string_view v; !item.get_string().get(v)) out.emplace_back(v);
  return out;
}

std::string metadata_url(const NpmPackument& doc) {
  std::string path = doc.package;
  if (std::size_t slash = path.find('/'); slash != std::string::npos) path.replace(slash, 1, "%2f");
  return doc.registry.url + "/" + path;
}

// dist.signatures (entries without a string keyid and sig are skipped: they
// cannot vouch for anything) and, in a full document, time[version].
void read_npm_signatures(simdjson::dom::object dist, simdjson::simdjson_result<simdjson::dom::element> times,
                         std::string_view version, NpmVersion& out) {
  simdjson::dom::array sigs;
  if (!dist["signatures"].get_array().get(sigs))
    for (auto item : sigs) {
      std::string_view keyid, sig;
      if (!item["keyid"].get_string().get(keyid) && !item["sig"].get_string().get(sig))
        out.dist.signatures.push_back({std::string(keyid), std::string(sig)});
    }
  if (std::string_view t; !times[version].get_string().get(t)) out.published = verify::parse_iso8601_utc(t);
}

Status parse_packument(const std::string& text, NpmPackument& doc) {
  std::string what = "the metadata of npm:" + doc.package + " from " + metadata_url(doc);
  std::string fix = ": check " + doc.where();
  simdjson::dom::parser parser;
  auto root = parse_json(parser, text, what);
  if (!root) return make_error(root.error() + fix);
  simdjson::dom::object versions;
  if (root->get_object().error() || (*root)["versions"].get_object().get(versions))
    return make_error(what + " has no \"versions\" object" + fix);
  for (auto [version, value] : versions) {
    NpmVersion v;
    simdjson::dom::object d;
    std::string_view s;
    if (value["dist"].get_object().get(d) || d["tarball"].get_string().get(s))
      return make_error(what + ": version " + std::string(version) + " has no dist.tarball" + fix);
    v.dist.tarball = std::string(s);
    if (!d["integrity"].get_string().get(s)) v.dist.integrity = std::string(s);
    v.dist.has_shasum = !d["shasum"].get_string().error();
    read_npm_signatures(d, (*root)["time"], version, v);
    v.dependencies = string_map(value, "dependencies");
    v.optional_dependencies = string_map(value, "optionalDependencies");
    v.os = string_list(value, "os");
    v.cpu = string_list(value, "cpu");
    doc.versions.emplace(std::string(version), std::move(v));
  }
  simdjson::dom::object tags;
  if (!(*root)["dist-tags"].get_object().get(tags))
    for (auto [tag, value] : tags)
      if (std::string_view v; !value.get_string().get(v)) doc.dist_tags.emplace(std::string(tag), std::string(v));
  return ok_status();
}

}  // namespace

std::string NpmPackument::where() const {
  return "the npm registry " + registry.url + " (from " + registry.source + ")";
}

std::string NpmPackument::credentials_note() const {
  if (registry.authorization.empty()) return "; no credentials for it in any .npmrc";
  return "; credentials from " + registry.auth_source;
}

Expected<const NpmPackument*> NpmRegistryClient::packument(const std::string& package) {
  {
    std::lock_guard<std::mutex> lock(mutex_);
    if (auto it = docs_.find(package); it != docs_.end()) return static_cast<const NpmPackument*>(it->second.get());
  }
  if (std::string bad = check_npm_package_name(package); !bad.empty()) return make_error(bad);
  auto doc = std::make_unique<NpmPackument>();
  doc->package = package;
  auto reg = npm_registry(package);
  if (!reg) return Error{reg.error()};
  doc->registry = std::move(*reg);
  auto text = fetch_document(*doc, metadata_url(*doc));
  if (!text) return Error{text.error()};
  if (auto st = parse_packument(*text, *doc); !st) return Error{st.error()};
  std::lock_guard<std::mutex> lock(mutex_);
  auto& slot = docs_[package];
  if (!slot) slot = std::move(doc);  // another thread's copy of the same document may have landed first
  return static_cast<const NpmPackument*>(slot.get());
}

Expected<std::string> NpmRegistryClient::fetch_document(const NpmPackument& doc, const std::string& url) {
  std::vector<std::string> headers = npm_request_headers(doc.registry, url);
  // The abbreviated document ("corgi") npm itself installs from: it has the
  // dist-tags, versions, dist and dependencies, and is much smaller.
  headers.emplace_back("Accept: application/vnd.npm.install-v1+json; q=1.0, application/json; q=0.8, */*");
  // Held in memory and parsed: bounded (fetch.hpp); kept for RTX_OFFLINE
  // unless fetched with credentials.
  auto text = fetch_text(env_, url, "check the package name and " + doc.where() + doc.credentials_note(),
                         kDefaultMaxPackumentBytes, headers);
  if (!text) return make_error("npm:" + doc.package + ": " + text.error());
  return text;
}

Expected<net::Checksum> NpmRegistryClient::integrity_of(const NpmPackument& doc, const std::string& version) const {
  const NpmDist& dist = doc.versions.at(version).dist;
  std::optional<net::Checksum> best;
  std::string_view rest = dist.integrity;
  while (!rest.empty()) {
    std::size_t sp = rest.find_first_of(" \t");
    std::string_view token = rest.substr(0, sp);
    rest = sp == std::string_view::npos ? std::string_view{} : rest.substr(sp + 1);
    token = token.substr(0, token.find('?'));  // SRI options
    if (token.rfind("sha512-", 0) != 0 && token.rfind("sha256-", 0) != 0) continue;
    auto sum = net::parse_checksum(token);
    if (!sum)
      return make_error(doc.where() + " gives a bad dist.integrity for npm:" + doc.package + " " + version + ": " +
                        sum.error());
    if (!best || sum->algorithm == net::HashAlgorithm::sha512) best = *sum;
  }
  if (best) return *best;
  return make_error(doc.where() + " gives no sha512 dist.integrity for npm:" + doc.package + " " + version +
                    (dist.has_shasum ? " (only a sha1 dist.shasum, which rtx does not accept)" : "") +
                    ": pick a newer version or another registry");
}

Status NpmRegistryClient::fetch_package(const NpmPackument& doc, const std::string& version, const std::string& dest,
                                        int progress_fd) {
  const NpmDist& dist = doc.versions.at(version).dist;
  auto sum = integrity_of(doc, version);
  if (!sum) return Error{sum.error()};
  if (dist.tarball.rfind("http://", 0) != 0 && dist.tarball.rfind("https://", 0) != 0)
    return make_error(doc.where() + " gives '" + dist.tarball + "' as the tarball of npm:" + doc.package + " " +
                      version + ", which is not an http(s) URL: check the registry");
  auto origin = signatures_.check(doc, version);  // before any byte of the tarball (npm_signatures.hpp)
  if (!origin) return Error{origin.error()};
  std::string hint =
      "check the registry " + doc.registry.url + " (from " + doc.registry.source + ")" + doc.credentials_note();
  // npm's replace-registry-host=npmjs (its default): a tarball the document
  // names on registry.npmjs.org comes from the registry configured here (a
  // mirror serving documents copied from npmjs, e.g. `rtx mirror export`).
  std::string url = under_mirror(dist.tarball, kNpmUpstreamRegistry, doc.registry.url);
  return fetch_and_extract(env_, url, *sum, dest, 1, hint, npm_request_headers(doc.registry, url), progress_fd,
                           *origin);
}

Status NpmRegistryClient::fetch_locked_tarball(const NpmRegistry& registry, const std::string& package,
                                               const std::string& url, const net::Checksum& sum,
                                               const std::string& dest, int progress_fd) {
  NpmPackument doc;  // for the messages only: no document is fetched
  doc.package = package;
  doc.registry = registry;
  std::string hint = "check the lockfile and the registry " + registry.url + " (from " + registry.source + ")" +
                     doc.credentials_note();
  return fetch_and_extract(env_, url, sum, dest, 1, hint, npm_request_headers(registry, url), progress_fd,
                           ChecksumOrigin::lock);
}

std::string check_npm_package_name(const std::string& package) {
  auto plain = [](std::string_view part) {
    if (part.empty() || part[0] == '.' || part[0] == '_') return false;
    return std::all_of(part.begin(), part.end(), [](char c) {
      return std::isalnum(static_cast<unsigned char>(c)) || c == '-' || c == '.' || c == '_' || c == '~';
    });
  };
  bool ok = false;
  if (!package.empty() && package.size() <= 214) {
    if (package[0] == '@') {
      std::size_t slash = package.find('/');
      ok = slash != std::string::npos && plain(std::string_view(package).substr(1, slash - 1)) &&
           plain(std::string_view(package).substr(slash + 1));
    } else {
      ok = plain(package);
    }
  }
  return ok ? std::string()
            : "'npm:" + package + "' is not an npm package name: write npm:<name> or npm:@<scope>/<name>";
}

std::string npm_unscoped(const std::string& package) {
  std::size_t slash = package.find('/');
  return slash == std::string::npos ? package : package.substr(slash + 1);
}

bool npm_platform_allows(const std::vector<std::string>& filter, const std::string& value) {
  if (filter.empty()) return true;
  bool only_negations = true;
  for (const auto& f : filter) {
    if (f == value) return true;
    if (!f.empty() && f[0] == '!') {
      if (f.compare(1, std::string::npos, value) == 0) return false;
    } else {
      only_negations = false;
    }
  }
  return only_negations;
}

std::string npm_platform_mismatch(const NpmPackument& doc, const std::string& version) {
  const NpmVersion& v = doc.versions.at(version);
  if (npm_platform_allows(v.os, npm_host_os()) && npm_platform_allows(v.cpu, npm_host_cpu())) return {};
  auto join = [](const std::vector<std::string>& list) {
    std::string out;
    for (const auto& item : list) out += (out.empty() ? "" : "|") + item;
    return out.empty() ? std::string("any") : out;
  };
  return "npm:" + doc.package + " " + version + " is built for os " + join(v.os) + ", cpu " + join(v.cpu) +
         "; this machine is " + npm_host_os() + " " + npm_host_cpu();
}

std::string npm_host_os() { return "linux"; }
std::string npm_host_cpu() { return node_arch(); }

}  // namespace rtx::backends::core
