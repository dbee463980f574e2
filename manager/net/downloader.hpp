// Downloads for every backend (DESIGN.md §6 step 3, §8, §9; issue 4 item 1):
// libcurl with redirects, timeouts, retries with backoff, resume of partial
// files, proxies from the environment, a checksum computed while the bytes
// stream in, and a cache keyed by that checksum.
//
//   net::DownloadRequest req;
//   req.url = mirror + "/v20.1.0/node-v20.1.0-linux-x64.tar.xz";
//   req.expected = net::checksum_from_hex(net::HashAlgorithm::sha256, hex_from_shasums).value();
//   req.cache_dir = roots.cache;
//   req.hint = "check the version or the mirror (RTX_NODE_MIRROR)";
//   auto file = net::download(req);   // file->path: the verified file
//
// Proxies: libcurl reads http_proxy, HTTPS_PROXY / https_proxy, ALL_PROXY and
// NO_PROXY / no_proxy itself, for every request and every redirect hop; rtx
// never overrides them (no CURLOPT_PROXY / CURLOPT_NOPROXY), except to pass on
// an upper-case HTTP_PROXY for http:// URLs, which libcurl ignores by design.
#pragma once

#include <chrono>
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "manager/net/checksum.hpp"
#include "resolver/expected.hpp"

namespace rtx::net {

struct RetryPolicy {
  // Attempts in all, the first included. Transient failures are retried:
  // connection refused/reset, timeouts, stalls, a cut body, HTTP 5xx and 429.
  // Never HTTP 4xx, bad URLs, DNS failures, local write errors.
  int max_attempts = 3;
  std::chrono::milliseconds first_backoff{200};   // doubled after each failure…
  std::chrono::milliseconds max_backoff{10'000};  // …up to this
};

struct DownloadRequest {
  std::string url;  // http://, https:// or file://
  // Where the file goes when it is not cached (no cache_dir or no expected):
  // written as "<dest>.part", renamed to dest once complete and verified.
  // Its folder is created if needed.
  std::string dest;
  // Verified at the end; a mismatch deletes the .part. With cache_dir set, it
  // is also the cache key. The file's hash is computed either way (sha256 when
  // none is expected) and returned.
  std::optional<Checksum> expected;
  // $RTX_CACHE_DIR (resolver::Roots::cache). With `expected`, the file lives
  // at <cache_dir>/downloads/<algo>-<hex>/<filename> and is reused from there
  // without any network; `dest` is then not used.
  std::string cache_dir;
  std::string filename;  // the cache file's name; default: the URL's last path segment
  // The "how to fix" part of HTTP status and connection errors, e.g. "check
  // the version or the mirror (RTX_NODE_MIRROR)". Empty: a generic one.
  std::string hint;
  RetryPolicy retry;
  std::chrono::seconds connect_timeout{30};
  // No byte for this long ends an attempt (a stall). Unset: RTX_HTTP_STALL_TIMEOUT
  // (seconds), else 30 s.
  std::optional<std::chrono::seconds> stall_timeout;
  // For the whole download, every attempt and backoff included. Unset: none
  // (the stall timeout still bounds each attempt).
  std::optional<std::chrono::milliseconds> timeout;
  std::vector<std::string> headers;  // extra request headers, "Name: value" (e.g. a registry token)
  // The most bytes the file may have (a remote index is held in memory: an
  // unbounded one is a memory bomb). A larger Content-Length ends the
  // download before its body, and the first byte past the limit ends it as it
  // streams: a permanent failure, nothing kept. Unset: no limit.
  std::optional<std::uint64_t> max_bytes;
  // The "how to fix" of that failure, e.g. "raise RTX_MAX_METADATA_BYTES (now 32M)".
  std::string max_bytes_fix;
  // Progress and notes (a retry, a wait for another rtx) go here: a terminal
  // gets a live line, anything else one summary line at the end. -1: silent.
  int progress_fd = 2;
};

struct DownloadResult {
  std::string path;         // the complete, verified file
  std::uint64_t size = 0;   // bytes
  Checksum checksum;        // its digest: the expected algorithm, else sha256
  bool from_cache = false;  // served from the cache, without any network
  int attempts = 0;         // HTTP attempts this call made (0 from the cache)
  bool resumed = false;     // bytes of an earlier attempt or run were kept (a 206 to our Range)
};

// Fetches req.url. A request with neither `dest` nor a cache (cache_dir and
// expected) is a programming error: std::invalid_argument. Every error is one line, "download of <url> failed[ after
// N attempts]: <what>: <how to fix>", and leaves no final file behind. What
// stays: the .part after a transient failure (stall, cut connection, 5xx,
// Ctrl-C), so the next run resumes with a Range request; nothing after a
// permanent one (4xx, checksum mismatch), and no cache entry either.
//
// Under RTX_OFFLINE (offline.hpp) a cache hit is served as ever, a file:// URL
// is read, and any other http(s) request fails before connecting: "offline
// (RTX_OFFLINE=1): <url> is not in the download cache (<entry>): run the
// command once with the network …", creating nothing.
//
// Many processes may share one cache_dir (CI runners on one host, each with
// its own RTX_DATA_DIR): the .part of a cache entry is flock'ed, so each file
// is fetched once; a waiter then finds the finished file, or resumes the .part
// of a holder that died; a hit found without the lock is a file some process
// renamed into place complete and verified (docs/decisions.md "Shared download
// cache").
Expected<DownloadResult> download(const DownloadRequest& req);

// RTX_HTTP_STALL_TIMEOUT as seconds (a positive integer), 30 when unset; the
// error names the variable and its bad value.
Expected<std::chrono::seconds> stall_timeout_from_env();

}  // namespace rtx::net
