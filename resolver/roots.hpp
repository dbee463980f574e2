// The four roots (DESIGN.md §2), from the environment only: no NSS lookups.
#pragma once

#include <string>

#include "resolver/expected.hpp"

namespace rtx::resolver {

struct Roots {
  std::string home;    // $HOME, may be empty when every root is given explicitly
  std::string data;    // RTX_DATA_DIR or ~/.local/share/rtx
  std::string config;  // RTX_CONFIG_DIR or ~/.config/rtx
  std::string cache;   // RTX_CACHE_DIR or ~/.cache/rtx
  std::string state;   // RTX_STATE_DIR or ~/.local/state/rtx

  std::string shims_dir() const { return data + "/shims"; }
};

Expected<Roots> roots_from_env();

}  // namespace rtx::resolver
