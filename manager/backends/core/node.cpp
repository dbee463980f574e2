#include "manager/backends/core/node.hpp"

#include <algorithm>
#include <chrono>

#include "manager/backends/core/fetch.hpp"
#include "manager/util/process_runner.hpp"

namespace rtx::backends::core {
namespace {

constexpr const char* kNodeHint = "check the version and RTX_NODE_MIRROR";

}  // namespace

NodeBackend::NodeBackend(BackendEnv env)
    : env_(std::move(env)),
      mirror_(mirror("RTX_NODE_MIRROR", "https://nodejs.org/dist")),
      file_key_("linux-" + node_arch()) {}

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

Status NodeBackend::install(const InstallRequest& req) {
  auto all = releases();
  if (!all) return Error{all.error()};
  bool known = std::any_of(all->begin(), all->end(), [&](const NodeRelease& r) { return r.version == req.version; });
  if (!known)
    return make_error("no node " + req.version + " for " + file_key_ + " in " + mirror_ +
                      "/index.json: see 'rtx ls-remote node'");

  std::string dir = mirror_ + "/v" + req.version;
  std::string filename = "node-v" + req.version + "-" + file_key_ + ".tar.xz";
  auto sums = fetch_text(env_, dir + "/SHASUMS256.txt", kNodeHint);
  if (!sums) return Error{sums.error()};
  std::string hex = shasums_lookup(*sums, filename);
  if (hex.empty())
    return make_error(dir + "/SHASUMS256.txt has no checksum for " + filename +
                      ": the mirror is incomplete, check RTX_NODE_MIRROR");
  auto sum = net::checksum_from_hex(net::HashAlgorithm::sha256, hex);
  if (!sum)
    return make_error(dir + "/SHASUMS256.txt gives a bad checksum for " + filename + " (" + sum.error() +
                      "): check RTX_NODE_MIRROR");
  return fetch_and_extract(env_, dir + "/" + filename, *sum, req.install_path, 1, kNodeHint);
}

Expected<resolver::BuildMeta> NodeBackend::describe_build(const InstallRequest& req) {
  resolver::BuildMeta meta = bin_dir_meta();
  auto all = releases();
  if (!all) return Error{all.error()};
  for (const auto& r : *all)
    if (r.version == req.version) meta.aliases = node_aliases(r);
  return meta;
}

Status NodeBackend::smoke_test(const InstallRequest& req, const resolver::BuildMeta&) {
  return run_smoke("node", req.version, req.install_path, "node", "--version");
}

std::unique_ptr<Backend> make_node_backend(const BackendEnv& env) { return std::make_unique<NodeBackend>(env); }

}  // namespace rtx::backends::core
