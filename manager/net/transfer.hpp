// One attempt at fetching a URL into a .part file (libcurl easy API). The
// retry policy, the checksum and the cache are the downloader's; this file
// knows HTTP: redirects, Range and what each status and curl error means.
#pragma once

#include <chrono>
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "manager/net/background_hasher.hpp"
#include "manager/net/part_file.hpp"
#include "manager/net/progress.hpp"

namespace rtx::net {

struct TransferSettings {
  std::string url;
  std::chrono::seconds connect_timeout{30};
  std::chrono::seconds stall_timeout{30};              // no byte for this long: give up the attempt
  std::optional<std::chrono::milliseconds> time_left;  // what remains of the overall timeout
  std::vector<std::string> headers;                    // extra "Name: value" request headers
  std::optional<std::uint64_t> max_bytes;              // of the whole file: past it, a permanent failure
};

enum class Outcome {
  complete,     // the .part holds the whole body
  transient,    // worth another attempt (network, 5xx, 429, a cut connection)
  permanent,    // another attempt would fail the same way (4xx, bad URL, disk)
  interrupted,  // Ctrl-C / SIGTERM (util::interrupted())
};

// Why an attempt failed decides which fix the final error suggests.
enum class FailureKind { none, http_status, connect, stall, cut, timeout, local, too_large, other };

struct AttemptResult {
  Outcome outcome = Outcome::complete;
  FailureKind kind = FailureKind::none;
  std::string reason;  // "HTTP 404 Not Found", "no data for 30 s", …: the middle of the error line
  long http_status = 0;
  bool continued = false;  // a 206 appended to bytes already in the .part
};

// Fetches settings.url into `part`. Over HTTP(S), a non-empty .part is
// continued with "Range: bytes=<size>-": a 206 appends; a 200 (the server
// ignores ranges) truncates the .part and starts over, resetting `hasher`.
// Every byte written is fed to `hasher` and counted in `fetched`, so the
// hasher always matches the .part's content, attempt after attempt.
// A non-2xx body is never written to the .part.
AttemptResult transfer_once(const TransferSettings& settings, PartFile& part, BackgroundHasher& hasher,
                            ProgressMeter& progress, std::uint64_t& fetched);

}  // namespace rtx::net
