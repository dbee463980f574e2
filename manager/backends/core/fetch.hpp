// The shared steps of the core and npm backends (DESIGN.md §6 step 3, §8):
// fetch a remote index as text, fetch a verified artifact through the cache and
// extract it into the build's prefix.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "manager/backends/backend_env.hpp"
#include "manager/net/checksum.hpp"
#include "resolver/build_meta.hpp"
#include "resolver/expected.hpp"

namespace rtx::backends::core {

// The value of a mirror variable (e.g. RTX_NODE_MIRROR) without a trailing
// '/', or `fallback` (the upstream) when unset.
std::string mirror(const char* variable, const char* fallback);

// How large a remote document may be (issue 8 item 10: a 300 MB index.json
// took 630 MB of memory). The real ones are far smaller: node's index.json
// and rust's channel manifests are under 1 MiB, go's full release JSON and
// python's SHA256SUMS a few MiB; an npm packument (abbreviated, as rtx asks
// for it; a registry may send the full one) can reach tens of MiB for
// packages with thousands of versions. 32 MiB and 64 MiB leave wide room
// while bounding what a hostile or broken mirror can make rtx hold.
// RTX_MAX_METADATA_BYTES (e.g. 128M) replaces both.
inline constexpr std::uint64_t kDefaultMaxMetadataBytes = std::uint64_t{32} << 20;
inline constexpr std::uint64_t kDefaultMaxPackumentBytes = std::uint64_t{64} << 20;

struct MetadataLimit {
  std::uint64_t bytes;
  std::string fix;  // how to raise it, for the error line
};
// RTX_MAX_METADATA_BYTES when set, else `fallback`; an error names a bad value.
Expected<MetadataLimit> metadata_limit(std::uint64_t fallback);

// A small remote document (an index, a checksum list, a manifest) as text;
// always fetched afresh (it changes), bounded by the usual timeouts and
// retries, and by metadata_limit(max_bytes), enforced while it streams in: a
// larger document fails with one line naming the URL, the limit and how to
// raise it. Each one fetched is kept in $RTX_CACHE_DIR/metadata, and under
// RTX_OFFLINE that copy is returned instead, with a notice of its age
// (metadata_cache.hpp); without one, an error line says how to fetch it.
// `headers`: extra request headers; a document fetched with credentials (an
// Authorization header: a private registry's) is never kept.
Expected<std::string> fetch_text(const BackendEnv& env, const std::string& url, const std::string& hint,
                                 std::uint64_t max_bytes = kDefaultMaxMetadataBytes,
                                 const std::vector<std::string>& headers = {});

// Where an artifact's expected checksum came from, which decides whether a
// plain http:// URL may serve it (issue 10 item 2): a checksum from an index
// served over plain http proves nothing (whoever changes the file changes the
// index too); one from a lock, or from an index whose signature was verified
// against a key rtx holds, does.
enum class ChecksumOrigin {
  index,         // read from the backend's index (SHASUMS256.txt, go's JSON, a packument…)
  signed_index,  // …and that index's signature verified (node gpgv, npm ECDSA)
  lock,          // from rtx.lock / mise.lock
};

// Ok when `url` may serve an artifact whose checksum has `origin`: https://
// and file:// always; http:// only to a loopback host (127.0.0.0/8, ::1,
// localhost: the bytes never cross a network) or with a locked or signed
// checksum. The error is one line naming the URL, and `how_to_fix`
// (e.g. "set RTX_NODE_MIRROR to an https:// URL").
Status check_transport(const std::string& url, ChecksumOrigin origin, const std::string& how_to_fix);

// Downloads `url` (verified against `sum`, through $RTX_CACHE_DIR/downloads)
// and extracts it into `install_path`, which must be empty. check_transport()
// runs first, before any byte is fetched. The archive may expand to RTX_MAX_EXTRACT_BYTES (e.g. 512M, 8G; default 8
// GiB). `headers`: extra request headers (an npm registry's Authorization); `progress_fd`: where the progress or
// summary line goes (-1: nowhere).
Status fetch_and_extract(const BackendEnv& env, const std::string& url, const net::Checksum& sum,
                         const std::string& install_path, int strip_components, const std::string& hint,
                         const std::vector<std::string>& headers = {}, int progress_fd = 2,
                         ChecksumOrigin origin = ChecksumOrigin::index);

// What every core tool's prefix exposes: its "bin" folder.
resolver::BuildMeta bin_dir_meta();

// The smoke test of a finished core build: `<prefix>/bin/<exe> <arg>` exits 0
// within the plugin timeout (RTX_PLUGIN_TIMEOUT), else the install fails.
Status run_smoke(const std::string& tool, const std::string& version, const std::string& prefix, const std::string& exe,
                 const std::string& arg);

// This machine as upstreams name it: "x64"/"arm64" (node), "amd64"/"arm64"
// (go), "x86_64"/"aarch64" (rust and python triples).
std::string node_arch();
std::string go_arch();
std::string gnu_arch();

}  // namespace rtx::backends::core
