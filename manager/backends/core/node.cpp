#include "manager/backends/core/node.hpp"

#include <algorithm>
#include <chrono>

#include "manager/backends/core/fetch.hpp"
#include "manager/backends/core/mirror_path.hpp"
#include "manager/backends/core/node_signature.hpp"
#include "manager/util/process_runner.hpp"

namespace rtx::backends::core {
namespace {

constexpr const char* kNodeHint = "check the version and RTX_NODE_MIRROR";
constexpr const char* kNodeUpstream = "https://nodejs.org/dist";

// The build install() takes: node-v<version>-<key>.tar.xz (key "linux-x64",
// "darwin-arm64"); upstream also has .tar.gz, identical but larger.
std::string node_artifact_name(const std::string& version, const std::string& key) {
  return "node-v" + version + "-" + key + ".tar.xz";
}

}  // namespace

NodeBackend::NodeBackend(BackendEnv env)
    : env_(std::move(env)), mirror_(mirror("RTX_NODE_MIRROR", kNodeUpstream)), file_key_("linux-" + node_arch()) {}

std::string NodeBackend::describe() const { return "core backend node (" + mirror_ + ")"; }

Expected<std::vector<NodeRelease>> NodeBackend::releases() {
  if (releases_) return *releases_;
  std::string url = mirror_ + "/index.json";
  auto text = fetch_text(env_, url, kNodeHint);
  if (!text) return Error{text.error()};
  auto parsed = parse_node_index(*text, file_key_, url);
  if (!parsed) return Error{parsed.error()};
  releases_ = std::move(*parsed);
  return *releases_;
}

Expected<std::vector<std::string>> NodeBackend::list_remote() {
  auto all = releases();
  if (!all) return Error{all.error()};
  std::vector<std::string> out;
  out.reserve(all->size());
  for (const auto& r : *all) out.push_back(r.version);
  return out;
}

Expected<std::string> NodeBackend::latest_stable(const std::string& prefix) {
  auto all = releases();
  if (!all) return Error{all.error()};
  if (prefix.empty()) return all->empty() ? std::string() : all->back().version;
  return pick_node_lts(*all, prefix, mirror_ + "/index.json");
}

Expected<NodeBackend::Shasums> NodeBackend::fetch_shasums(const std::string& version) {
  Shasums sums;
  sums.url = mirror_ + "/v" + version + "/SHASUMS256.txt";
  auto text = fetch_text(env_, sums.url, kNodeHint);
  if (!text) return Error{text.error()};
  // Vouched for by node's release keys as RTX_NODE_SIGNATURES asks (node_signature.hpp).
  auto checked = check_node_shasums(env_, version, sums.url, std::move(*text));
  if (!checked) return Error{checked.error()};
  sums.text = std::move(checked->text);
  sums.origin = checked->origin;
  return sums;
}

Expected<net::Checksum> NodeBackend::shasum_of(const Shasums& sums, const std::string& filename) {
  std::string hex = shasums_lookup(sums.text, filename);
  if (hex.empty())
    return make_error(sums.url + " has no checksum for " + filename +
                      ": the mirror is incomplete, check RTX_NODE_MIRROR");
  auto sum = net::checksum_from_hex(net::HashAlgorithm::sha256, hex);
  if (!sum)
    return make_error(sums.url + " gives a bad checksum for " + filename + " (" + sum.error() +
                      "): check RTX_NODE_MIRROR");
  return *sum;
}

Status NodeBackend::install(const InstallRequest& req) {
  if (!req.locked_url.empty()) {
    // Locked (DESIGN.md §11): the lock's URL on this mirror and the lock's
    // checksum; neither index.json nor SHASUMS256.txt is read.
    auto locked = locked_artifact(req, kNodeUpstream, mirror_);
    if (!locked) return Error{locked.error()};
    return fetch_and_extract(env_, locked->url, locked->checksum, req.install_path, 1, kNodeHint, {}, 2,
                             ChecksumOrigin::lock);
  }
  auto all = releases();
  if (!all) return Error{all.error()};
  bool known = std::any_of(all->begin(), all->end(), [&](const NodeRelease& r) { return r.version == req.version; });
  if (!known)
    return make_error("no node " + req.version + " for " + file_key_ + " in " + mirror_ +
                      "/index.json: see 'rtx ls-remote node'");

  std::string filename = node_artifact_name(req.version, file_key_);
  auto sums = fetch_shasums(req.version);
  if (!sums) return Error{sums.error()};
  auto sum = shasum_of(*sums, filename);
  if (!sum) return Error{sum.error()};
  return fetch_and_extract(env_, mirror_ + "/v" + req.version + "/" + filename, *sum, req.install_path, 1, kNodeHint,
                           {}, 2, sums->origin);
}

Expected<std::vector<Artifact>> NodeBackend::lock_artifacts(const std::string& version,
                                                            const std::vector<std::string>& platforms) {
  auto wanted = lock_platforms(platforms);
  if (!wanted) return Error{wanted.error()};
  auto sums = fetch_shasums(version);
  if (!sums) return Error{sums.error()};
  std::vector<Artifact> out;
  for (const auto& p : *wanted) {
    std::string filename = node_artifact_name(version, p.os + "-" + p.arch);
    if (shasums_lookup(sums->text, filename).empty()) continue;  // no build for it
    auto sum = shasum_of(*sums, filename);
    if (!sum) return Error{sum.error()};
    out.push_back({p.name, std::string(kNodeUpstream) + "/v" + version + "/" + filename, *sum, std::nullopt});
  }
  return out;
}

Expected<resolver::BuildMeta> NodeBackend::describe_build(const InstallRequest& req) {
  resolver::BuildMeta meta = bin_dir_meta();
  auto all = releases();
  if (!all) {
    // A locked install must not fail for want of index.json (its LTS names
    // are only aliases, and the lock, not the index, says what to install):
    // the build is made without the "lts" aliases.
    if (!req.locked_url.empty()) return meta;
    return Error{all.error()};
  }
  for (const auto& r : *all)
    if (r.version == req.version) meta.aliases = node_aliases(r);
  return meta;
}

Status NodeBackend::smoke_test(const InstallRequest& req, const resolver::BuildMeta&) {
  return run_smoke("node", req.version, req.install_path, "node", "--version");
}

std::unique_ptr<Backend> make_node_backend(const BackendEnv& env) { return std::make_unique<NodeBackend>(env); }

}  // namespace rtx::backends::core
