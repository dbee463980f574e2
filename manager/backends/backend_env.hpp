// What a backend may use besides its own arguments: the store layout (for
// plugins/) and the cache root (downloads, remote indexes).
#pragma once

#include <string>

#include "resolver/store_layout.hpp"

namespace rtx::backends {

struct BackendEnv {
  resolver::StoreLayout layout;
  std::string cache_dir;  // $RTX_CACHE_DIR
};

}  // namespace rtx::backends
