// What every backend provides (DESIGN.md §8): remote versions, and an install
// into a given prefix that yields the build's bin dirs and environment.
#pragma once

#include <chrono>
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "manager/net/checksum.hpp"
#include "manager/store/builder.hpp"
#include "resolver/build_meta.hpp"
#include "resolver/expected.hpp"

namespace rtx::backends {

// The store's build request (manager/store/builder.hpp): backends build
// entries for the install transaction through its Builder interface.
using InstallRequest = store::BuildRequest;

// One downloadable file of a version for one platform, as a lockfile records
// it (DESIGN.md §11): the upstream URL (never a mirror's: a lock made behind
// one mirror works behind another) and the checksum the file must have.
struct Artifact {
  std::string platform;  // "linux-x64", "linux-arm64", "macos-x64", "macos-arm64"
  std::string url;
  net::Checksum checksum;
  std::optional<std::uint64_t> size;  // when the index gives it
};

class Backend : public store::Builder {
 public:
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

  // The artifacts of `version` for each of `platforms` the backend's index
  // lists (a platform it has no build for is left out, not an error).
  // Backends without artifacts of their own (asdf plugins): none, and a lock
  // records their version only.
  virtual Expected<std::vector<Artifact>> lock_artifacts(const std::string& version,
                                                         const std::vector<std::string>& platforms) {
    (void)version;
    (void)platforms;
    return std::vector<Artifact>();
  }

  // install(), describe_build(), smoke_test() and describe(): store::Builder.
};

}  // namespace rtx::backends
