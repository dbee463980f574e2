// rust from its dist channel manifests (DESIGN.md §8; issue 4 item 3):
// <mirror>/dist/channel-rust-<channel>.toml names the `rust` package's tarball
// for the host triple (xz_url, xz_hash); the tarball's own install.sh puts it
// into the prefix. Mirror: RTX_RUST_MIRROR (default https://static.rust-lang.org).
//
// Versions (upstream publishes no version index): the version of
// channel-rust-stable.toml, plus every line of <mirror>/versions.txt when the
// mirror serves one (one version a line, '#' comments). `rust@1.82.0` reads
// channel-rust-1.82.0.toml; `latest` reads channel-rust-stable.toml.
//
// Manifests name their tarballs on https://static.rust-lang.org; a mirror
// serves the same paths (as rustup's RUSTUP_DIST_SERVER does), and a lock
// records the upstream URL.
#pragma once

#include <memory>
#include <string>
#include <vector>

#include "manager/backends/backend.hpp"
#include "manager/backends/backend_env.hpp"

namespace rtx::backends::core {

// What a channel manifest says about the rust package for one target.
struct RustRelease {
  std::string version;  // "1.82.0", the first word of pkg.rust.version
  std::string url;      // xz_url (url when the manifest has no xz build)
  std::string sha256;   // xz_hash (hash)
};

// Parses a channel manifest; `source` (its URL) and `triple` go into errors.
// An empty `triple` only reads the version.
Expected<RustRelease> parse_rust_manifest(const std::string& text, const std::string& source,
                                          const std::string& triple);

// The rust package's tarball for each of `triples` the manifest marks
// available (others are left out), in the order of `triples`: for a lock.
struct RustTarget {
  std::string triple;
  std::string url;     // xz_url (url when the manifest has no xz build), as the manifest names it
  std::string sha256;  // xz_hash (hash)
};
struct RustTargets {
  std::string version;
  std::vector<RustTarget> targets;
};
Expected<RustTargets> parse_rust_targets(const std::string& text, const std::string& source,
                                         const std::vector<std::string>& triples);

// "x86_64-unknown-linux-gnu" on this machine.
std::string rust_host_triple();

std::unique_ptr<Backend> make_rust_backend(const BackendEnv& env);

}  // namespace rtx::backends::core
