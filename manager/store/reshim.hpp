// shims/: one symlink to rtx-shim per command any READY build provides, and
// shims/.index mapping each command to its tools, written atomically.
#pragma once

#include <string>

#include "resolver/expected.hpp"
#include "resolver/store_layout.hpp"

namespace rtx::store {

Status reshim(const resolver::StoreLayout& layout, const std::string& shim_binary);

}  // namespace rtx::store
