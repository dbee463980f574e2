// Would crash recovery (store/recovery.hpp, run by every manager command that
// changes or reads the store) find anything to do? Read-only and cheap: the
// front answers a command itself only when this says no, and otherwise hands
// it to the manager, which recovers first as it always did. It errs towards
// yes: a store mid-install (a BUILDING build, a temporary file of a live
// writer) also says yes, and costs only the manager's start.
#pragma once

#include <string>

#include "resolver/store_layout.hpp"

namespace rtx::query {

// download_root: $RTX_CACHE_DIR/plugin-downloads/<data dir's>, as recovery sweeps it.
bool needs_recovery(const resolver::StoreLayout& layout, const std::string& download_root);

}  // namespace rtx::query
