#include "manager/store/retire.hpp"

#include "manager/store/entries.hpp"
#include "manager/store/pointers.hpp"
#include "manager/store/succession_log.hpp"

namespace rtx::store {

Expected<bool> retire_build(const resolver::StoreLayout& layout, const std::string& tool, const std::string& entry,
                            const std::string& successor, const std::string& state_dir) {
  const std::string path = layout.entry_path(tool, entry);
  if (resolver::read_state(path) != EntryState::Ready) return false;
  const std::string version = version_of_entry(entry);
  if (resolver::pointer_entry(layout, tool, version) == entry)
    if (auto st = remove_pointer(layout, tool, version); !st) return Error{st.error()};
  if (auto st = refresh_fuzzy_links(layout, tool); !st) return Error{st.error()};
  if (auto st = set_state(path, EntryState::Retired); !st) return Error{st.error()};
  if (!successor.empty() && !state_dir.empty())
    if (auto st = SuccessionLog(state_dir, tool).append(Succession{entry, successor}); !st)
      return make_error(tool + " " + entry + " is retired, but recording what replaced it failed (" + st.error() +
                        "): 'rtx rollback " + tool + "' cannot return to it");
  return true;
}

}  // namespace rtx::store
