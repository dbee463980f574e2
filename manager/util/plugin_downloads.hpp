// The scratch folders of installs, $RTX_CACHE_DIR/plugin-downloads/<entry>
// (ASDF_DOWNLOAD_PATH, DESIGN.md §6 step 3): the install transaction makes one
// per build and removes it when the build ends, but a SIGKILL leaves it behind
// for good (issue 8 item 10). Recovery and `rtx gc` sweep the orphans.
//
// An orphan is a folder no running install uses. The transaction holds its
// tool@version install lock (locks/<tool>@<version>.lock, DESIGN.md §6 step 1)
// from before it makes the folder until after it removes it, so a folder
// named "<version>-<build>" is in use only while some `*@<version>.lock` is
// held; otherwise its installer is gone. (This can keep an orphan while an
// install of another tool at the same version runs: the next sweep takes it.)
// The locks are held while the folder is removed, so no install can start on
// that version meanwhile (none would reuse the name anyway: builds are unique).
#pragma once

#include <string>
#include <vector>

#include "resolver/store_layout.hpp"

namespace rtx::util {

struct DownloadSweep {
  std::vector<std::string> removed;  // "removed abandoned download folder <path>"
  std::vector<std::string> errors;   // one line each: what could not be removed, and why
};

// `download_root`: plugin_download_root() (missing: nothing to do).
DownloadSweep sweep_plugin_downloads(const resolver::StoreLayout& layout, const std::string& download_root);

// $RTX_CACHE_DIR/plugin-downloads/<key of the data dir>: one folder per
// RTX_DATA_DIR, because the sweep judges a folder by the install locks of its
// own data dir. CI runners sharing one RTX_CACHE_DIR, each with its own data
// dir (issue 10 item 6), would otherwise sweep each other's downloads away
// mid-install. The key is a hash of the data dir's path (16 hex digits,
// FNV-1a: the same in every rtx build).
std::string plugin_download_root(const std::string& cache_dir, const std::string& data_dir);

}  // namespace rtx::util
