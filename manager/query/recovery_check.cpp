#include "manager/query/recovery_check.hpp"

#include <dirent.h>

#include <algorithm>
#include <cstring>

#include "manager/store/entries.hpp"
#include "manager/store/pointers.hpp"
#include "manager/util/fs.hpp"

namespace rtx::query {
namespace {

// A name recovery removes or reads: ".tmp.*" (an atomic write's temporary
// file) or ".<entry>.extract-XXXXXX" (an extraction's staging folder). `any`:
// any name but . and .. (the download root's folders).
bool dir_has_leftover(const std::string& dir, bool any) {
  DIR* d = ::opendir(dir.c_str());
  if (!d) return false;
  bool found = false;
  while (!found)
    if (dirent* de = ::readdir(d)) {
      const char* n = de->d_name;
      if (any)
        found = std::strcmp(n, ".") != 0 && std::strcmp(n, "..") != 0;
      else
        found = n[0] == '.' && (std::strncmp(n, ".tmp.", 5) == 0 || std::strstr(n, ".extract-") != nullptr);
    } else {
      break;
    }
  ::closedir(d);
  return found;
}

// recover_store's per-tool work (store/recovery.cpp): abandoned or half-reaped
// builds, staging and temporary files, an interrupted commit, pointers to a
// build that is not READY, READY builds no pointer names.
bool tool_needs_recovery(const resolver::StoreLayout& layout, const std::string& tool) {
  auto entries = store::list_entries(layout, tool);
  for (const auto& e : entries)
    if (e.state != store::EntryState::Ready && e.state != store::EntryState::Retired) return true;
  if (dir_has_leftover(layout.store_dir(tool), false) || dir_has_leftover(layout.installs_dir(tool), false))
    return true;
  if (util::exists(layout.store_dir(tool) + "/.commit")) return true;
  auto pointers = store::list_pointers(layout, tool);
  for (const auto& p : pointers) {
    auto it = std::find_if(entries.begin(), entries.end(), [&](const store::Entry& e) { return e.name == p.entry; });
    if (it == entries.end() || it->state != store::EntryState::Ready) return true;
  }
  for (const auto& e : entries)
    if (e.state == store::EntryState::Ready &&
        std::none_of(pointers.begin(), pointers.end(), [&](const store::Pointer& p) { return p.entry == e.name; }))
      return true;
  return false;
}

}  // namespace

bool needs_recovery(const resolver::StoreLayout& layout, const std::string& download_root) {
  for (const auto& tool : store::list_tools(layout))
    if (tool_needs_recovery(layout, tool)) return true;
  return dir_has_leftover(layout.shims_dir(), false) ||
         (!download_root.empty() && dir_has_leftover(download_root, true));
}

}  // namespace rtx::query
