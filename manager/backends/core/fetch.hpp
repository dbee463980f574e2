// The shared steps of the core and npm backends (DESIGN.md §6 step 3, §8):
// fetch a remote index as text, fetch a verified artifact through the cache and
// extract it into the build's prefix.
#pragma once

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

// A small remote document (an index, a checksum list, a manifest) as text;
// never cached (it changes), bounded by the usual timeouts and retries.
Expected<std::string> fetch_text(const BackendEnv& env, const std::string& url, const std::string& hint);

// Downloads `url` (verified against `sum`, through $RTX_CACHE_DIR/downloads)
// and extracts it into `install_path`, which must be empty. The archive may
// expand to RTX_MAX_EXTRACT_BYTES (e.g. 512M, 8G; default 8 GiB).
// `headers`: extra request headers (an npm registry's Authorization);
// `progress_fd`: where the progress or summary line goes (-1: nowhere).
Status fetch_and_extract(const BackendEnv& env, const std::string& url, const net::Checksum& sum,
                         const std::string& install_path, int strip_components, const std::string& hint,
                         const std::vector<std::string>& headers = {}, int progress_fd = 2);

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
