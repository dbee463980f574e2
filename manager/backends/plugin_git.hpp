// asdf plugins from git (`rtx plugins add|update|remove`), git run through
// Boost.Process. A clone lands in plugins/.tmp-* and is renamed into place only
// once it holds an asdf plugin, so a failed add leaves nothing behind.
#pragma once

#include <optional>
#include <string>

#include "resolver/expected.hpp"
#include "resolver/store_layout.hpp"

namespace rtx::backends {

// url empty: the registry's asdf URL for `name`.
Status add_plugin_from_git(const resolver::StoreLayout& layout, const std::string& name, const std::string& url,
                           const std::optional<std::string>& ref);
// Fetches and moves to the recorded ref (or the remote's default branch).
Status update_plugin(const resolver::StoreLayout& layout, const std::string& name);
// Removes the plugin only: installed builds stay usable (shims never run plugins).
Status remove_plugin(const resolver::StoreLayout& layout, const std::string& name);

}  // namespace rtx::backends
