// kept_for_rollback (declared in garbage.hpp) on its own: `rtx ps` needs it,
// and the front (manager/query/) links no reaper or process code.
#include <algorithm>

#include "manager/store/entries.hpp"
#include "manager/store/garbage.hpp"
#include "manager/store/succession_log.hpp"

namespace rtx::store {

std::vector<std::string> kept_for_rollback(const resolver::StoreLayout& layout, const std::string& state_dir,
                                           const std::string& tool, int keep) {
  std::vector<std::string> kept;
  auto log = SuccessionLog(state_dir, tool).read();
  for (auto it = log.rbegin(); it != log.rend() && int(kept.size()) < keep; ++it) {
    if (std::find(kept.begin(), kept.end(), it->retired) != kept.end()) continue;
    if (resolver::read_state(layout.entry_path(tool, it->retired)) == EntryState::Retired) kept.push_back(it->retired);
  }
  return kept;
}

}  // namespace rtx::store
