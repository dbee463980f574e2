// python from python-build-standalone `install_only` builds (DESIGN.md §8;
// issue 4 item 3). Mirror: RTX_PYTHON_MIRROR (default the project's GitHub
// release downloads), laid out as upstream:
//   <mirror>/<tag>/SHA256SUMS
//   <mirror>/<tag>/cpython-<version>+<tag>-<arch>-unknown-linux-gnu-install_only.tar.gz
//
// Upstream has no index of releases, so the release tags come from, first:
//   1. RTX_PYTHON_RELEASES: tags separated by spaces or commas;
//   2. <mirror>/releases.txt: one tag a line, '#' comments (a mirror's index);
//   3. for the upstream mirror only, the tags built into rtx (kDefaultReleases).
// Each tag's SHA256SUMS is the list of its artifacts: the versions are read
// from the install_only names for this machine. A version in several releases
// comes from the newest tag (tags are dates: 20241016).
//
// A lock (lock_artifacts) records, per platform, the install_only build of
// the same SHA256SUMS files for that platform's triple (x86_64/aarch64,
// unknown-linux-gnu/apple-darwin), under the upstream URL.
#pragma once

#include <map>
#include <memory>
#include <string>
#include <string_view>

#include "manager/backends/backend.hpp"
#include "manager/backends/backend_env.hpp"

namespace rtx::backends::core {

struct PythonArtifact {
  std::string tag;       // the release: "20241016"
  std::string filename;  // cpython-3.12.7+20241016-x86_64-unknown-linux-gnu-install_only.tar.gz
  std::string sha256;    // hex, from SHA256SUMS
};

// Adds the install_only artifacts for `triple` ("x86_64-unknown-linux-gnu",
// "aarch64-apple-darwin") that one release's SHA256SUMS lists to `out`
// (version -> artifact), replacing what an older tag gave. `source` (the
// file's URL) goes into errors.
Status parse_python_sums(std::string_view text, const std::string& tag, const std::string& triple,
                         const std::string& source, std::map<std::string, PythonArtifact>& out);

std::unique_ptr<Backend> make_python_backend(const BackendEnv& env);

}  // namespace rtx::backends::core
