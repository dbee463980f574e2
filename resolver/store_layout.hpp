// Paths of the store (DESIGN.md §2) and the read side of entry states (§3).
#pragma once

#include <string>
#include <string_view>
#include <vector>

namespace rtx::resolver {

enum class EntryState { Missing, Building, Ready, Retired, Reaping, Failed, Unknown };

std::string_view state_name(EntryState s);
EntryState parse_state(std::string_view word);

// '/' in tool names (npm:@scope/pkg) becomes '+', which tool names never contain.
std::string tool_dir_name(std::string_view tool);

struct StoreLayout {
  std::string data;  // RTX_DATA_DIR

  std::string store_dir(std::string_view tool) const { return data + "/store/" + tool_dir_name(tool); }
  std::string installs_dir(std::string_view tool) const { return data + "/installs/" + tool_dir_name(tool); }
  std::string entry_path(std::string_view tool, std::string_view entry) const {
    return store_dir(tool) + "/" + std::string(entry);
  }
  std::string pointer_path(std::string_view tool, std::string_view version) const {
    return installs_dir(tool) + "/" + std::string(version);
  }
  // What a pointer's symlink holds: relative, so the data dir may move.
  static std::string pointer_target(std::string_view tool, std::string_view entry) {
    return "../../store/" + tool_dir_name(tool) + "/" + std::string(entry);
  }
  std::string tool_lock(std::string_view tool) const { return data + "/locks/" + tool_dir_name(tool) + ".lock"; }
  std::string install_lock(std::string_view tool, std::string_view version) const {
    return data + "/locks/" + tool_dir_name(tool) + "@" + std::string(version) + ".lock";
  }
  std::string shims_dir() const { return data + "/shims"; }
  std::string shim_index() const { return data + "/shims/.index"; }
  std::string plugins_dir() const { return data + "/plugins"; }
};

// Sidecar files of a build entry, beside its prefix.
inline std::string lease_path(const std::string& entry_path) { return entry_path + ".lease"; }
inline std::string state_path(const std::string& entry_path) { return entry_path + ".state"; }
inline std::string meta_path(const std::string& entry_path) { return entry_path + ".meta"; }

EntryState read_state(const std::string& entry_path);

// The store entry a pointer names ("<version>-<build>"), or empty when the link
// is missing or is a fuzzy link to a sibling name.
std::string pointer_entry(const StoreLayout& layout, std::string_view tool, std::string_view name);

// The same for a link's target already read ("../../store/<tool>/<entry>").
std::string pointer_target_entry(std::string_view tool, const std::string& target);

// Names in installs/<tool>/ (pointers and fuzzy links alike).
std::vector<std::string> list_install_names(const StoreLayout& layout, std::string_view tool);

}  // namespace rtx::resolver
