// What every backend provides (DESIGN.md §8): remote versions, and an install
// into a given prefix that yields the build's bin dirs and environment.
#pragma once

#include <chrono>
#include <string>
#include <vector>

#include "manager/store/builder.hpp"
#include "resolver/build_meta.hpp"
#include "resolver/expected.hpp"

namespace rtx::backends {

// The store's build request (manager/store/builder.hpp): backends build
// entries for the install transaction through its Builder interface.
using InstallRequest = store::BuildRequest;

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

  // install(), describe_build(), smoke_test() and describe(): store::Builder.
};

}  // namespace rtx::backends
