// What the install transaction (DESIGN.md §6 steps 3-4) asks of whoever builds
// an entry: the store's own small interface, so the store never includes a
// backend. Every backend implements it (backends::Backend derives from it), and
// the transaction's tests use an in-process fake.
#pragma once

#include <string>

#include "resolver/build_meta.hpp"
#include "resolver/expected.hpp"

namespace rtx::store {

struct BuildRequest {
  std::string tool;
  std::string version;
  std::string install_path;   // the final prefix, built in place
  std::string download_path;  // scratch space for downloads, removed afterwards
  int concurrency = 1;
  // From a lockfile (DESIGN.md §11): the artifact to fetch instead of the one
  // the backend's index names, and the checksum it must have ("sha256:<hex>"
  // or an SRI "sha512-<base64>"). Both empty: resolve through the index.
  std::string locked_url;
  std::string locked_checksum;
};

class Builder {
 public:
  virtual ~Builder() = default;
  virtual std::string describe() const = 0;  // "asdf plugin /path" for messages

  // Download and install into req.install_path.
  virtual Status install(const BuildRequest& req) = 0;
  // After install: bin dirs and the recorded environment of the build.
  virtual Expected<resolver::BuildMeta> describe_build(const BuildRequest& req) = 0;
  // The smoke test of a finished build; ok when there is none.
  virtual Status smoke_test(const BuildRequest& req, const resolver::BuildMeta& meta) = 0;
};

}  // namespace rtx::store
