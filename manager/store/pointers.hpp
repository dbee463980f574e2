// installs/<tool>/<version> pointers and fuzzy links (DESIGN.md §2, §3).
// Callers hold the tool lock.
#pragma once

#include <string>
#include <vector>

#include "resolver/expected.hpp"
#include "resolver/store_layout.hpp"

namespace rtx::store {

struct Pointer {
  std::string version;
  std::string entry;  // "<version>-<build>"
};

// Exact pointers only (fuzzy links excluded).
std::vector<Pointer> list_pointers(const resolver::StoreLayout& layout, const std::string& tool);

[[nodiscard]] Status set_pointer(const resolver::StoreLayout& layout, const std::string& tool,
                                 const std::string& version, const std::string& entry);
[[nodiscard]] Status remove_pointer(const resolver::StoreLayout& layout, const std::string& tool,
                                    const std::string& version);

// Rebuilds the fuzzy links from the pointers: "20" -> 20.11.1, "20.11" ->
// 20.11.1, "latest" -> newest release, and each alias a build's meta names
// ("lts" -> the newest build carrying it); stale ones are removed.
[[nodiscard]] Status refresh_fuzzy_links(const resolver::StoreLayout& layout, const std::string& tool);

}  // namespace rtx::store
