// The download cache (DESIGN.md §2): $RTX_CACHE_DIR/downloads/<algo>-<hex>/<filename>,
// keyed by the checksum the caller expects, so a second install of the same
// artifact downloads nothing, whatever URL or mirror it came from.
//
// A hit is hashed again before it is used (one sequential read, ~0.1 s for a
// 100 MiB toolchain) rather than trusted through a sidecar "verified" file:
// every byte is checked right before it is used (issue 4), and a file damaged
// on disk since (a bad sector, a user's edit) is caught, deleted and fetched
// again instead of being extracted into a prefix.
#pragma once

#include <string>

#include "manager/net/checksum.hpp"
#include "resolver/expected.hpp"

namespace rtx::net {

// "<cache_dir>/downloads/sha256-<hex>"
std::string cache_entry_dir(const std::string& cache_dir, const Checksum& checksum);

// The last segment of the URL's path ("node-v20.1.0-linux-x64.tar.xz"),
// without query or fragment; "download" when it is empty or unusable as a
// file name ("", ".", "..").
std::string filename_from_url(const std::string& url);

// True when `path` exists and hashes to `expected`. A file that exists but
// does not match can never become right: with `remove_mismatch` it is deleted
// (and false returned). Only a holder of the entry's .part lock may delete
// (downloader.cpp): a check made without it may be looking at a file that a
// peer is about to replace, and would delete the good copy. A file that goes
// away while it is being hashed is a miss, not an error.
Expected<bool> verify_cached(const std::string& path, const Checksum& expected, bool remove_mismatch = true);

// Removes the entry folder if it is empty (after a failed download), so a
// failure leaves nothing in the cache.
void remove_empty_entry(const std::string& entry_dir);

}  // namespace rtx::net
