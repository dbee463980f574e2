#include "manager/store/reaper.hpp"

#include <fcntl.h>
#include <sys/file.h>

#include "manager/store/entries.hpp"
#include "manager/store/file_lock.hpp"
#include "manager/util/fault_point.hpp"

namespace rtx::store {
namespace {

// LOCK_EX|LOCK_NB on the lease: an invalid fd when a pin holds it. A missing
// lease file (a reaper died after unlinking it) counts as free.
bool try_exclusive_lease(const std::string& entry_path, UniqueFd& fd) {
  fd.reset(::open(resolver::lease_path(entry_path).c_str(), O_RDONLY | O_CLOEXEC));
  if (!fd.valid()) return errno == ENOENT;
  if (::flock(fd.get(), LOCK_EX | LOCK_NB) == 0) return true;
  fd.reset();
  return false;
}

// Busy: who holds the build. A lease found busy whose holder no /proc scan
// shows is tried once more: a holder that exited in between must not be
// reported as an unseen one. True when the second try got the lease.
bool busy_or_free_now(const std::string& entry_path, UniqueFd& lease, bool name_users, ReapResult& busy) {
  busy = ReapResult{ReapOutcome::Busy, {}, {}};
  if (!name_users) return false;
  busy.users = processes_using(entry_path);
  return busy.users.empty() && try_exclusive_lease(entry_path, lease);
}

ReapResult finish(const std::string& entry_path) {
  util::fault_point("reap-before-delete");
  if (auto st = remove_entry(entry_path); !st) return ReapResult{ReapOutcome::Failed, {}, st.error()};
  return ReapResult{ReapOutcome::Reaped, {}, {}};
}

}  // namespace

ReapResult reap_build(const resolver::StoreLayout& layout, const std::string& tool, const std::string& entry_name,
                      bool name_users) {
  const std::string path = layout.entry_path(tool, entry_name);
  UniqueFd lease;

  // A build left REAPING by a dead reaper is finished without the tool lock:
  // REAPING is final, nothing resolves to it.
  ReapResult busy;
  if (resolver::read_state(path) == EntryState::Reaping) {
    if (!try_exclusive_lease(path, lease) && !busy_or_free_now(path, lease, name_users, busy)) return busy;
    return finish(path);
  }

  auto tool_lock = FileLock::acquire(layout.tool_lock(tool), LockMode::Exclusive);  // step 1
  if (!tool_lock) return ReapResult{ReapOutcome::Failed, {}, tool_lock.error()};
  if (resolver::read_state(path) != EntryState::Retired) return ReapResult{ReapOutcome::NotRetired, {}, {}};

  if (!try_exclusive_lease(path, lease) && !busy_or_free_now(path, lease, name_users, busy))
    return busy;  // step 2: busy → keep it (no users named: a process rtx cannot see holds the lease)

  std::vector<ProcessUse> users = processes_using(path);  // step 3: the /proc safety net
  if (!users.empty()) return ReapResult{ReapOutcome::Busy, std::move(users), {}};

  if (auto st = set_state(path, EntryState::Reaping); !st)  // step 4
    return ReapResult{ReapOutcome::Failed, {}, st.error()};
  util::fault_point("reap-after-reaping");
  tool_lock->release();
  return finish(path);  // step 5, lease closed on return
}

}  // namespace rtx::store
