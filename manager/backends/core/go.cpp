#include "manager/backends/core/go.hpp"

#include <simdjson.h>

#include <algorithm>
#include <chrono>

#include "manager/backends/core/fetch.hpp"
#include "manager/backends/core/mirror_path.hpp"
#include "manager/util/process_runner.hpp"
#include "resolver/version.hpp"

namespace rtx::backends::core {
namespace {

constexpr const char* kGoHint = "check the version and RTX_GO_MIRROR";
constexpr const char* kGoUpstream = "https://go.dev/dl";

Error bad_go_index(const std::string& url, std::string_view why) {
  return make_error(url + " is not valid go downloads JSON (" + std::string(why) + "): check RTX_GO_MIRROR");
}

std::string_view field(simdjson::dom::element e, const char* key) {
  std::string_view s;
  return e[key].get_string().get(s) ? std::string_view{} : s;
}

// A file name that becomes <mirror>/<filename> and a cache path: no folders, not hidden.
bool go_plain_filename(const std::string& name) {
  return !name.empty() && name.find('/') == std::string::npos && name[0] != '.';
}

}  // namespace

Expected<std::vector<GoRelease>> parse_go_index(std::string_view json, const std::string& arch,
                                                const std::string& url) {
  simdjson::dom::parser parser;
  simdjson::padded_string padded(json);
  simdjson::dom::element doc;
  if (auto err = parser.parse(padded).get(doc)) return bad_go_index(url, simdjson::error_message(err));
  simdjson::dom::array items;
  if (doc.get_array().get(items)) return bad_go_index(url, "not an array of releases");

  std::vector<GoRelease> out;
  for (simdjson::dom::element item : items) {
    std::string_view version = field(item, "version");
    if (version.size() < 3 || version.substr(0, 2) != "go")
      return bad_go_index(url, "a release without a \"version\" like \"go1.22.1\"");
    simdjson::dom::array files;
    if (item["files"].get_array().get(files))
      return bad_go_index(url, "release " + std::string(version) + " has no \"files\" array");
    GoRelease r;
    r.version = std::string(version.substr(2));
    if (!resolver::validate_version(r.version)) return bad_go_index(url, "version " + std::string(version));
    bool stable = false;
    r.stable = !item["stable"].get_bool().get(stable) && stable;
    for (simdjson::dom::element f : files) {
      if (field(f, "kind") != "archive") continue;
      GoArchive a{std::string(field(f, "os")), std::string(field(f, "arch")), std::string(field(f, "filename")),
                  std::string(field(f, "sha256")), std::nullopt};
      if (std::uint64_t size = 0; !f["size"].get_uint64().get(size)) a.size = size;
      if (a.os == "linux" && a.arch == arch && r.filename.empty()) {
        if (!go_plain_filename(a.filename))
          return bad_go_index(url, "release " + std::string(version) + " has a file without a plain \"filename\"");
        r.filename = a.filename;
        r.sha256 = a.sha256;
      }
      r.archives.push_back(std::move(a));
    }
    if (!r.filename.empty()) out.push_back(std::move(r));
  }
  std::stable_sort(out.begin(), out.end(), [](const GoRelease& a, const GoRelease& b) {
    return resolver::compare_versions(a.version, b.version) < 0;
  });
  return out;
}

GoBackend::GoBackend(BackendEnv env) : env_(std::move(env)), mirror_(mirror("RTX_GO_MIRROR", kGoUpstream)) {}

std::string GoBackend::describe() const { return "core backend go (" + mirror_ + ")"; }

std::string GoBackend::index_url() const { return mirror_ + "/?mode=json&include=all"; }

Expected<std::vector<GoRelease>> GoBackend::releases() {
  if (releases_) return *releases_;
  auto text = fetch_text(env_, index_url(), kGoHint);
  if (!text) return Error{text.error()};
  auto parsed = parse_go_index(*text, go_arch(), index_url());
  if (!parsed) return Error{parsed.error()};
  releases_ = std::move(*parsed);
  return *releases_;
}

Expected<std::vector<std::string>> GoBackend::list_remote() {
  auto all = releases();
  if (!all) return Error{all.error()};
  std::vector<std::string> out;
  out.reserve(all->size());
  for (const auto& r : *all) out.push_back(r.version);
  return out;
}

Expected<std::string> GoBackend::latest_stable(const std::string& prefix) {
  if (!prefix.empty()) return std::string();
  auto all = releases();
  if (!all) return Error{all.error()};
  for (auto it = all->rbegin(); it != all->rend(); ++it)
    if (it->stable && !resolver::is_prerelease(it->version)) return it->version;
  return std::string();
}

Status GoBackend::install(const InstallRequest& req) {
  if (!req.locked_url.empty()) {
    // Locked (DESIGN.md §11): the lock's URL on this mirror, the lock's checksum; the index is not read.
    auto locked = locked_artifact(req, kGoUpstream, mirror_);
    if (!locked) return Error{locked.error()};
    return fetch_and_extract(env_, locked->url, locked->checksum, req.install_path, 1, kGoHint, {}, 2,
                             ChecksumOrigin::lock);
  }
  auto all = releases();
  if (!all) return Error{all.error()};
  auto it = std::find_if(all->begin(), all->end(), [&](const GoRelease& r) { return r.version == req.version; });
  if (it == all->end())
    return make_error("no go " + req.version + " for linux-" + go_arch() + " in " + index_url() +
                      ": see 'rtx ls-remote go'");
  auto sum = net::checksum_from_hex(net::HashAlgorithm::sha256, it->sha256);
  if (!sum)
    return make_error(index_url() + " gives a bad sha256 for " + it->filename + " (" + sum.error() +
                      "): check RTX_GO_MIRROR");
  return fetch_and_extract(env_, mirror_ + "/" + it->filename, *sum, req.install_path, 1, kGoHint);
}

Expected<std::vector<Artifact>> GoBackend::lock_artifacts(const std::string& version,
                                                          const std::vector<std::string>& platforms) {
  auto wanted = lock_platforms(platforms);
  if (!wanted) return Error{wanted.error()};
  auto all = releases();
  if (!all) return Error{all.error()};
  auto it = std::find_if(all->begin(), all->end(), [&](const GoRelease& r) { return r.version == version; });
  if (it == all->end()) return make_error("no go " + version + " in " + index_url() + ": see 'rtx ls-remote go'");
  std::vector<Artifact> out;
  for (const auto& p : *wanted) {
    auto a = std::find_if(it->archives.begin(), it->archives.end(),
                          [&](const GoArchive& f) { return f.os == p.os && f.arch == p.go_arch; });
    if (a == it->archives.end()) continue;  // no build for it
    if (!go_plain_filename(a->filename))
      return bad_go_index(index_url(), "release go" + version + " has a file without a plain \"filename\"");
    auto sum = net::checksum_from_hex(net::HashAlgorithm::sha256, a->sha256);
    if (!sum)
      return make_error(index_url() + " gives a bad sha256 for " + a->filename + " (" + sum.error() +
                        "): check RTX_GO_MIRROR");
    out.push_back({p.name, std::string(kGoUpstream) + "/" + a->filename, *sum, a->size});
  }
  return out;
}

Expected<resolver::BuildMeta> GoBackend::describe_build(const InstallRequest&) { return bin_dir_meta(); }

Status GoBackend::smoke_test(const InstallRequest& req, const resolver::BuildMeta&) {
  return run_smoke("go", req.version, req.install_path, "go", "version");
}

std::unique_ptr<Backend> make_go_backend(const BackendEnv& env) { return std::make_unique<GoBackend>(env); }

}  // namespace rtx::backends::core
