#include "manager/store/supersede.hpp"

#include "manager/store/entries.hpp"
#include "manager/store/file_lock.hpp"
#include "manager/store/reshim.hpp"
#include "manager/store/retire.hpp"
#include "manager/store/upgrade_policy.hpp"

namespace rtx::store {

Expected<SupersedeOutcome> retire_superseded(const resolver::StoreLayout& layout, const std::string& state_dir,
                                             const std::string& shim_binary, const std::string& tool,
                                             const std::string& old, const std::string& fresh,
                                             const std::vector<std::string>& configs) {
  SupersedeOutcome out;
  if (old.empty() || old == fresh) return out;
  auto lock = FileLock::acquire(layout.tool_lock(tool), LockMode::Exclusive);
  if (!lock) return Error{lock.error()};
  // 1. Both as the store has them now: a rollback or an uninstall meanwhile wins.
  if (resolver::read_state(layout.entry_path(tool, old)) != EntryState::Ready ||
      resolver::read_state(layout.entry_path(tool, fresh)) != EntryState::Ready)
    return out;
  // 2. A config that still resolves to the old build keeps it READY, as at an upgrade's commit.
  StillNeeded need = still_needed(layout, tool, old, fresh, configs);
  out.warnings = std::move(need.warnings);
  if (!need.config.empty()) {
    out.kept_for = need.config;
    return out;
  }
  // 3. The one retire sequence, `fresh` logged as the successor that `rtx rollback` undoes.
  auto retired = retire_build(layout, tool, old, fresh, state_dir);
  if (!retired) return Error{retired.error()};
  out.retired = *retired;
  if (out.retired)
    if (auto st = reshim(layout, shim_binary); !st) out.warnings.push_back(st.error() + ": run 'rtx reshim'");
  return out;
}

}  // namespace rtx::store
