// Locked artifacts and mirrors (DESIGN.md §11; issue 10 item 1). A lock
// records each artifact's upstream URL (https://nodejs.org/dist/v20.11.1/…),
// never a mirror's, so one lock serves every machine whatever mirror it uses:
// lock_artifacts() maps a URL read on the mirror back to the upstream
// (to_upstream), and a locked install maps the locked URL onto the mirror
// configured here (under_mirror), fetching the same path and verifying it
// against the locked checksum.
//
//   under_mirror("https://nodejs.org/dist/v20.1.0/x.tar.xz", "https://nodejs.org/dist",
//                "http://10.0.0.5/node")  ->  "http://10.0.0.5/node/v20.1.0/x.tar.xz"
#pragma once

#include <string>
#include <vector>

#include "manager/net/checksum.hpp"
#include "manager/store/builder.hpp"
#include "resolver/expected.hpp"

namespace rtx::backends::core {

// `locked_url` fetched through `mirror`: when it starts with `upstream_base`
// + "/", that prefix becomes `mirror`; otherwise (already on the mirror, or
// on a host the backend does not know) it is kept as it is. A trailing '/' on
// either base is ignored.
std::string under_mirror(const std::string& locked_url, const std::string& upstream_base, const std::string& mirror);

// The inverse, for what a lock records: `url` under `mirror` + "/" becomes
// the same path under `upstream_base`; any other URL is kept.
std::string to_upstream(const std::string& url, const std::string& mirror, const std::string& upstream_base);

// What a locked install fetches: the request's locked URL under `mirror`,
// and the locked checksum ("sha256:<hex>", "sha512-<base64>"). Errors (one
// line each, saying to fix the lock or run 'rtx lock' again): a URL that is
// not http://, https:// or file://, a checksum that does not parse.
struct LockedArtifact {
  std::string url;
  net::Checksum checksum;
};
Expected<LockedArtifact> locked_artifact(const store::BuildRequest& req, const std::string& upstream_base,
                                         const std::string& mirror);

// The platforms a lock names (backend.hpp's Artifact::platform) and what
// each upstream calls them.
struct LockPlatform {
  std::string name;     // "linux-x64", "linux-arm64", "macos-x64", "macos-arm64"
  std::string os;       // node, npm and go: "linux", "darwin"
  std::string arch;     // node and npm: "x64", "arm64"
  std::string go_arch;  // "amd64", "arm64"
  std::string triple;   // rust and python: "x86_64-unknown-linux-gnu", "aarch64-apple-darwin"
};

// The LockPlatform of each of `names`, in order. An unknown name is an error
// listing the known ones (a platform a backend has no build for is not: the
// backend leaves it out).
Expected<std::vector<LockPlatform>> lock_platforms(const std::vector<std::string>& names);

}  // namespace rtx::backends::core
