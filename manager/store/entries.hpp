// Build entries of the store (DESIGN.md §2, §3): create, change state, remove.
#pragma once

#include <string>
#include <vector>

#include "resolver/expected.hpp"
#include "resolver/store_layout.hpp"

namespace rtx::store {

using resolver::EntryState;
using resolver::StoreLayout;

struct Entry {
  std::string tool;
  std::string version;
  std::string name;  // "<version>-<build>"
  std::string path;  // store/<tool>/<name>
  EntryState state = EntryState::Missing;
};

// A new entry in state BUILDING: state file first, then lease, then the prefix
// folder, so a crash at any point leaves something recovery recognises.
[[nodiscard]] Expected<Entry> create_building_entry(const StoreLayout& layout, const std::string& tool,
                                                    const std::string& version);

[[nodiscard]] Status set_state(const std::string& entry_path, EntryState state);

// Deletes the tree, then the lease file, then the state file (DESIGN.md §7 step 5).
[[nodiscard]] Status remove_entry(const std::string& entry_path);

// Every entry of a tool (any state, including prefixes whose state file is gone).
std::vector<Entry> list_entries(const StoreLayout& layout, const std::string& tool);

// Tools with a folder in store/.
std::vector<std::string> list_tools(const StoreLayout& layout);

// "<version>" of "<version>-<build>".
std::string version_of_entry(const std::string& name);

}  // namespace rtx::store
