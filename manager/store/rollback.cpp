#include "manager/store/rollback.hpp"

#include "manager/store/entries.hpp"
#include "manager/store/file_lock.hpp"
#include "manager/store/pointers.hpp"
#include "manager/store/reshim.hpp"
#include "manager/store/retire.hpp"
#include "manager/store/succession_log.hpp"
#include "manager/util/fault_point.hpp"
#include "resolver/config_file.hpp"
#include "resolver/version.hpp"

namespace rtx::store {

Expected<RollbackOutcome> rollback(const resolver::StoreLayout& layout, const std::string& state_dir,
                                   const std::string& shim_binary, const std::string& tool,
                                   const std::optional<std::string>& to) {
  if (auto st = resolver::validate_tool_name(tool); !st) return Error{st.error()};
  if (to)
    if (auto st = resolver::validate_version(*to); !st) return Error{st.error()};
  SuccessionLog log(state_dir, tool);
  auto lock = FileLock::acquire(layout.tool_lock(tool), LockMode::Exclusive);
  if (!lock) return Error{lock.error()};

  auto successions = log.read();
  const Succession* chosen = nullptr;
  for (auto it = successions.rbegin(); it != successions.rend() && !chosen; ++it)
    if (!to || version_of_entry(it->retired) == *to) chosen = &*it;  // the most recent replacement
  if (!chosen)
    return make_error("nothing to roll " + tool + " back to" + (to ? " at version " + *to : std::string()) +
                      ": no replaced build is recorded (see 'rtx ls " + tool + "')");
  const Succession s = *chosen;
  const std::string pred_version = version_of_entry(s.retired);

  // Re-read under the tool lock: only a RETIRED predecessor may come back.
  const std::string pred_path = layout.entry_path(tool, s.retired);
  auto state = resolver::read_state(pred_path);
  if (state != EntryState::Retired)
    return make_error(
        "cannot roll " + tool + " back to " + pred_version + ": its build " + pred_path + " is " +
        (state == EntryState::Missing ? std::string("gone (reaped)") : std::string(resolver::state_name(state))) +
        "; install it again with 'rtx install " + tool + "@" + pred_version + "'");

  if (auto st = set_state(pred_path, EntryState::Ready); !st) return Error{st.error()};
  util::fault_point("rollback-after-ready");
  // From here on the predecessor is READY: an error says what stands.
  auto stands = [&](const std::string& error) {
    return make_error("rolling " + tool + " back to " + pred_version + " stopped half way: " + error +
                      "; the next rtx command repairs the store: then see 'rtx ls " + tool + "', and roll back again");
  };
  if (auto st = set_pointer(layout, tool, pred_version, s.retired); !st) return stands(st.error());

  RollbackOutcome out;
  out.restored = s.retired;
  auto retired = retire_build(layout, tool, s.successor, s.retired, state_dir);
  if (!retired) return stands(retired.error());
  if (*retired) {
    out.retired = s.successor;
    if (auto st = log.hold_back(version_of_entry(s.successor)); !st) return stands(st.error());
  } else if (auto st = refresh_fuzzy_links(layout, tool); !st) {
    return stands(st.error());
  }
  if (auto st = log.unhold(pred_version); !st) return stands(st.error());
  // An upgrade building meanwhile sees this count change at its commit, and yields.
  if (auto st = log.count_rollback(); !st) return stands(st.error());
  if (auto st = reshim(layout, shim_binary); !st) out.warnings.push_back(st.error() + ": run 'rtx reshim'");
  return out;
}

Status release_held_back(const resolver::StoreLayout& layout, const std::string& state_dir, const std::string& tool) {
  auto lock = FileLock::acquire(layout.tool_lock(tool), LockMode::Exclusive);
  if (!lock) return Error{lock.error()};
  return SuccessionLog(state_dir, tool).clear_held_back();
}

}  // namespace rtx::store
