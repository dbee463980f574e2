// The install transaction of DESIGN.md §6: install lock, BUILDING entry built
// in place, verify, then the commit under the tool lock in its fixed order.
// Any failure: the entry becomes FAILED and is removed; the pointer never moved.
#pragma once

#include <functional>
#include <string>

#include "manager/backends/backend.hpp"
#include "resolver/expected.hpp"
#include "resolver/store_layout.hpp"

namespace rtx::store {

struct InstallOptions {
  bool force = false;         // a new build even when the version is installed
  std::string shim_binary;    // what shims/ links to
  std::string download_root;  // $RTX_CACHE_DIR/plugin-downloads
  std::string state_dir;      // where the succession log lives ($RTX_STATE_DIR)
  // `rtx upgrade`: the build this one replaces (an entry name, any version),
  // retired in the same commit unless `still_needed(old_entry, new_entry)`
  // says a tracked config will still resolve to it once the new one is in.
  std::string supersedes;
  std::function<bool(const std::string& old_entry, const std::string& new_entry)> still_needed;
};

struct InstallOutcome {
  std::string entry_path;
  bool already_installed = false;
  std::string retired_entry;  // the build this commit retired (same version, or superseded), if any
};

// A commit in progress, journalled beside the tool's builds
// (store/<tool>/.commit: "<new entry> <entry to retire or ->"), so a crash after
// the pointer flip is finished by recovery instead of leaving two READY builds.
void finish_interrupted_commit(const resolver::StoreLayout& layout, const std::string& tool,
                               const std::string& state_dir);

Expected<InstallOutcome> install_version(const resolver::StoreLayout& layout, backends::Backend& backend,
                                         const std::string& tool, const std::string& version,
                                         const InstallOptions& options);

}  // namespace rtx::store
