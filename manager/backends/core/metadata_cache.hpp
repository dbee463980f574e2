// Remote documents kept for offline use (issue 10 item 3; docs/decisions.md
// "Offline and the metadata cache"). Every index, checksum list and manifest
// fetch_text() fetches is also written to
//
//   $RTX_CACHE_DIR/metadata/<sha256 of the URL, hex>
//
// as a short header and the body:
//
//   rtx-metadata 1
//   url https://nodejs.org/dist/index.json
//   fetched 1767600000          (unix seconds)
//   size 245112                 (the body's bytes)
//   sha256 <hex of the body>
//   <empty line>
//   <body>
//
// Online, rtx always fetches afresh and replaces the copy (the copy is never
// read then); with RTX_OFFLINE it serves the copy and says how old it is.
//
// Written atomically (store::write_file_atomic). Reading trusts nothing: an
// entry that is not a regular file owned by this user, is larger than the
// document limit allows, or whose header, URL, size or checksum does not match
// is ignored (one debug line) as if absent, and the offline error then says
// how to fetch it. A torn or damaged copy is caught by its checksum.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

#include "resolver/expected.hpp"

namespace rtx::backends::core {

// "<cache_dir>/metadata/<sha256 of url>"
std::string metadata_cache_path(const std::string& cache_dir, std::string_view url);

struct CachedDocument {
  std::string text;
  std::int64_t fetched_at = 0;  // unix seconds
};

// The entry format above, for `url`, fetched at `fetched_at`.
std::string format_metadata_entry(std::string_view url, std::int64_t fetched_at, std::string_view text);

// The document in `entry` when it is a well-formed entry for exactly `url`
// with a body of at most `max_bytes`; else nullopt and `why` says what is
// wrong (for the debug line). Never throws, whatever the bytes.
std::optional<CachedDocument> parse_metadata_entry(std::string_view entry, std::string_view url,
                                                   std::uint64_t max_bytes, std::string* why = nullptr);

// Replaces the copy of `url` (creating metadata/ if needed). A URL with a
// control character or longer than 8 KiB is not kept (an error).
Status save_metadata(const std::string& cache_dir, std::string_view url, std::string_view text,
                     std::int64_t fetched_at);

// The copy of `url`, or nullopt (absent, or refused: see above).
std::optional<CachedDocument> load_metadata(const std::string& cache_dir, std::string_view url,
                                            std::uint64_t max_bytes);

// What fetch_text() returns under RTX_OFFLINE: the copy, after one notice per
// URL and process on stderr ("using URL from the cache (fetched 3 h ago):
// offline (RTX_OFFLINE=1)"), or the one-line error saying it was never
// fetched and how to fetch it.
Expected<std::string> offline_metadata(const std::string& cache_dir, const std::string& url, std::uint64_t max_bytes);

}  // namespace rtx::backends::core
