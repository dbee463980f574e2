// go from its downloads page (DESIGN.md §8): RTX_GO_MIRROR, laid out like
// https://go.dev/dl (the "?mode=json&include=all" index with a sha256 per
// file, and <mirror>/<filename> for each archive).
#pragma once

#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "manager/backends/backend.hpp"
#include "manager/backends/backend_env.hpp"

namespace rtx::backends::core {

// One "kind": "archive" file of a release, as the index lists it.
struct GoArchive {
  std::string os, arch;  // "linux", "darwin"; "amd64", "arm64"
  std::string filename;  // as the index gives it: checked before use
  std::string sha256;
  std::optional<std::uint64_t> size;
};

struct GoRelease {
  std::string version;  // without the "go": "1.22.1", "1.23rc1"
  bool stable = false;
  std::string filename;  // the linux archive for this machine
  std::string sha256;
  std::vector<GoArchive> archives;  // every archive, any os and arch (lock_artifacts)
};

// The releases in `json` with an archive for linux/`arch`, oldest first.
Expected<std::vector<GoRelease>> parse_go_index(std::string_view json, const std::string& arch, const std::string& url);

class GoBackend final : public Backend {
 public:
  explicit GoBackend(BackendEnv env);

  std::string describe() const override;
  Expected<std::vector<std::string>> list_remote() override;
  // "": the newest release the index marks stable; anything else: "".
  Expected<std::string> latest_stable(const std::string& prefix) override;
  Status install(const InstallRequest& req) override;
  Expected<resolver::BuildMeta> describe_build(const InstallRequest& req) override;
  Status smoke_test(const InstallRequest& req, const resolver::BuildMeta& meta) override;
  // From the index: each platform's "archive" file, with its sha256 and size.
  Expected<std::vector<Artifact>> lock_artifacts(const std::string& version,
                                                 const std::vector<std::string>& platforms) override;

 private:
  Expected<std::vector<GoRelease>> releases();  // the index, fetched once per run
  std::string index_url() const;

  BackendEnv env_;
  std::string mirror_;
  std::optional<std::vector<GoRelease>> releases_;
};

std::unique_ptr<Backend> make_go_backend(const BackendEnv& env);

}  // namespace rtx::backends::core
