// Where an exported artifact's bytes come from: the download cache
// ($RTX_CACHE_DIR/downloads/<algo>-<hex>/, keyed by checksum: net/download_cache.hpp),
// hashed before use; one missing there is downloaded through the normal
// downloader from this machine's mirror (which puts it in the cache), unless
// RTX_OFFLINE forbids it: then one line names the artifact and how to get it.
#pragma once

#include <string>
#include <vector>

#include "manager/backends/core/fetch.hpp"
#include "manager/net/checksum.hpp"
#include "resolver/expected.hpp"

namespace rtx::mirror {

struct ArtifactSource {
  std::string label;         // "node 20.11.1 (linux-x64)", for messages
  std::string upstream_url;  // as a lock records it
  std::string fetch_url;     // the same file on this machine's mirror or registry
  net::Checksum checksum;
  backends::core::ChecksumOrigin origin = backends::core::ChecksumOrigin::index;
  std::vector<std::string> headers;  // an npm registry's credentials
  std::string hint;                  // "check RTX_NODE_MIRROR"
};

// The path of the verified file in the download cache.
Expected<std::string> cached_artifact(const std::string& cache_dir, const ArtifactSource& a);

}  // namespace rtx::mirror
