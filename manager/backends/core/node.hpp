// node from its dist folder (DESIGN.md §8): RTX_NODE_MIRROR, laid out like
// https://nodejs.org/dist (index.json, v<version>/SHASUMS256.txt,
// v<version>/node-v<version>-linux-<arch>.tar.xz).
#pragma once

#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "manager/backends/backend.hpp"
#include "manager/backends/backend_env.hpp"
#include "manager/backends/core/fetch.hpp"
#include "manager/backends/core/node_index.hpp"

namespace rtx::backends::core {

class NodeBackend final : public Backend {
 public:
  explicit NodeBackend(BackendEnv env);

  std::string describe() const override;
  Expected<std::vector<std::string>> list_remote() override;
  // "" : the newest release; "lts", "lts-<codename>", "lts/<codename>": the
  // newest of that LTS line; anything else: "" (the caller matches prefixes).
  Expected<std::string> latest_stable(const std::string& prefix) override;
  Status install(const InstallRequest& req) override;
  Expected<resolver::BuildMeta> describe_build(const InstallRequest& req) override;
  Status smoke_test(const InstallRequest& req, const resolver::BuildMeta& meta) override;
  // From v<version>/SHASUMS256.txt: node-v<version>-<os>-<arch>.tar.xz, the
  // format install() takes, for each platform that file lists.
  Expected<std::vector<Artifact>> lock_artifacts(const std::string& version,
                                                 const std::vector<std::string>& platforms) override;

 private:
  Expected<std::vector<NodeRelease>> releases();  // index.json, fetched once per run

  // v<version>/SHASUMS256.txt from the mirror: the one place install() and
  // lock_artifacts() read it, so whatever vouches for it (a signature) is
  // checked once, here. `origin` says what vouched for it.
  struct Shasums {
    std::string url;
    std::string text;
    ChecksumOrigin origin = ChecksumOrigin::index;
  };
  Expected<Shasums> fetch_shasums(const std::string& version);
  // The sha256 `sums` gives for `filename`; an error when it has none or a bad one.
  static Expected<net::Checksum> shasum_of(const Shasums& sums, const std::string& filename);

  BackendEnv env_;
  std::string mirror_;
  std::string file_key_;  // "linux-x64"
  std::optional<std::vector<NodeRelease>> releases_;
};

std::unique_ptr<Backend> make_node_backend(const BackendEnv& env);

}  // namespace rtx::backends::core
