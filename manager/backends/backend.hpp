// What every backend provides (DESIGN.md §8): remote versions, and an install
// into a given prefix that yields the build's bin dirs and environment.
#pragma once

#include <chrono>
#include <string>
#include <vector>

#include "resolver/build_meta.hpp"
#include "resolver/expected.hpp"

namespace rtx::backends {

struct InstallRequest {
  std::string tool;
  std::string version;
  std::string install_path;   // the final prefix, built in place
  std::string download_path;  // scratch space for downloads, removed afterwards
  int concurrency = 1;
};

class Backend {
 public:
  virtual ~Backend() = default;
  virtual std::string describe() const = 0;  // "asdf plugin /path" for messages

  // Every remote version, oldest first (as `asdf list-all` prints them).
  virtual Expected<std::vector<std::string>> list_remote() = 0;
  // The backend's own idea of the latest stable version, or an empty string.
  virtual Expected<std::string> latest_stable(const std::string& prefix) = 0;
  // The version `spec` names when list_remote() does not list it (rust: every
  // release has a channel manifest, the list holds only some), or an empty
  // string. Asked only when no listed version matches.
  virtual Expected<std::string> find_unlisted(const std::string& spec) {
    (void)spec;
    return std::string();
  }

  // Download and install into req.install_path.
  virtual Status install(const InstallRequest& req) = 0;
  // After install: bin dirs and the recorded environment of the build.
  virtual Expected<resolver::BuildMeta> describe_build(const InstallRequest& req) = 0;
  // The smoke test of a finished build; ok when there is none.
  virtual Status smoke_test(const InstallRequest& req, const resolver::BuildMeta& meta) = 0;
};

}  // namespace rtx::backends
