// rust from its dist channel manifests (DESIGN.md §8; issue 4 item 3):
// <mirror>/dist/channel-rust-<channel>.toml names the `rust` package's tarball
// for the host triple (xz_url, xz_hash); the tarball's own install.sh puts it
// into the prefix. Mirror: RTX_RUST_MIRROR (default https://static.rust-lang.org).
//
// Versions (upstream publishes no version index): the version of
// channel-rust-stable.toml, plus every line of <mirror>/versions.txt when the
// mirror serves one (one version a line, '#' comments). `rust@1.82.0` reads
// channel-rust-1.82.0.toml; `latest` reads channel-rust-stable.toml.
#pragma once

#include <memory>
#include <string>

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

// "x86_64-unknown-linux-gnu" on this machine.
std::string rust_host_triple();

std::unique_ptr<Backend> make_rust_backend(const BackendEnv& env);

}  // namespace rtx::backends::core
