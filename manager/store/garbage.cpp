#include "manager/store/garbage.hpp"

#include <unistd.h>
#include <algorithm>
#include <chrono>
#include <map>
#include <thread>

#include "manager/store/entries.hpp"
#include "manager/store/file_lock.hpp"
#include "manager/store/lease_scan.hpp"
#include "manager/store/reaper.hpp"
#include "manager/store/succession_log.hpp"
#include "manager/util/process_runner.hpp"

namespace rtx::store {
namespace {

using namespace std::chrono_literals;

std::chrono::milliseconds next_backoff(std::chrono::milliseconds d) {
  return std::min<std::chrono::milliseconds>(d * 2, 250ms);
}

// Who holds each busy build, named in one /proc pass for all of them: a pass
// per build made `rtx gc` O(builds × processes), and each held build brings a
// process. A build whose holder the pass does not show goes through the
// reaper step once more, naming its users as before (the holder may have just
// exited, or be a process rtx cannot see).
void name_busy_users(const resolver::StoreLayout& layout, std::vector<GcItem>& items) {
  std::vector<BuildRef> busy;
  std::map<std::pair<std::string, std::string>, GcItem*> by_build;
  for (auto& item : items)
    if (item.status == GcStatus::Busy) {
      busy.push_back(BuildRef{item.tool, item.entry});
      by_build[{item.tool, item.entry}] = &item;
    }
  if (busy.empty()) return;
  for (auto& h : scan_holdings(layout, "", busy))
    if (auto it = by_build.find({h.build.tool, h.build.entry}); it != by_build.end())
      it->second->users.push_back(ProcessUse{h.pid, h.how});
  for (auto it = items.begin(); it != items.end();) {
    if (it->status != GcStatus::Busy || !it->users.empty()) {
      ++it;
      continue;
    }
    auto r = reap_build(layout, it->tool, it->entry);
    if (r.outcome == ReapOutcome::NotRetired) {  // taken back (a rollback) meanwhile
      it = items.erase(it);
      continue;
    }
    it->status = r.outcome == ReapOutcome::Reaped ? GcStatus::Reaped
                 : r.outcome == ReapOutcome::Busy ? GcStatus::Busy
                                                  : GcStatus::Failed;
    it->users = std::move(r.users);
    it->error = std::move(r.error);
    ++it;
  }
}

}  // namespace

std::vector<GcItem> collect_garbage(const resolver::StoreLayout& layout, const std::vector<std::string>& only,
                                    const GcOptions& options) {
  std::vector<GcItem> items;
  std::vector<std::string> tools = only.empty() ? list_tools(layout) : only;
  for (const auto& tool : tools) {
    auto kept = kept_for_rollback(layout, options.state_dir, tool, options.keep_previous);
    for (const auto& e : list_entries(layout, tool)) {
      if (e.state != EntryState::Retired && e.state != EntryState::Reaping) continue;
      GcItem item{tool, e.name, GcStatus::Kept, {}, {}};
      if (e.state == EntryState::Retired && std::find(kept.begin(), kept.end(), e.name) != kept.end()) {
        items.push_back(std::move(item));
        continue;
      }
      if (options.dry_run) {
        item.status = GcStatus::WouldReap;
        items.push_back(std::move(item));
        continue;
      }
      auto r = reap_build(layout, tool, e.name, false);  // busy ones are named below, all in one pass
      if (r.outcome == ReapOutcome::Reaped)
        item.status = GcStatus::Reaped;
      else if (r.outcome == ReapOutcome::Busy)
        item.status = GcStatus::Busy;
      else if (r.outcome == ReapOutcome::Failed)
        item.status = GcStatus::Failed;
      else
        continue;  // taken back (a rollback) meanwhile
      item.users = std::move(r.users);
      item.error = std::move(r.error);
      items.push_back(std::move(item));
    }
  }
  if (!options.dry_run) name_busy_users(layout, items);
  if (options.wait) {
    auto delay = 20ms;
    for (;;) {
      bool pending = false;
      for (auto& item : items) {
        if (item.status != GcStatus::Busy) continue;
        auto r = reap_build(layout, item.tool, item.entry, false);
        if (r.outcome == ReapOutcome::Busy) {
          pending = true;
        } else if (r.outcome == ReapOutcome::Reaped ||
                   resolver::read_state(layout.entry_path(item.tool, item.entry)) == EntryState::Missing) {
          item.status = GcStatus::Reaped;  // by us, or by a waiter meanwhile
        } else {
          item.status = GcStatus::Kept;  // made READY again by a rollback
        }
      }
      if (!pending || util::interrupted()) break;
      std::this_thread::sleep_for(delay);
      delay = next_backoff(delay);
    }
  } else if (!options.waiter_binary.empty()) {
    std::vector<BuildRef> busy;
    for (const auto& item : items)
      if (item.status == GcStatus::Busy) busy.push_back(BuildRef{item.tool, item.entry});
    if (!busy.empty()) spawn_reap_waiter(options.waiter_binary, busy);
  }
  return items;
}

namespace {

std::string waiter_lock_path(const resolver::StoreLayout& layout, const BuildRef& b) {
  return layout.data + "/locks/" + resolver::tool_dir_name(b.tool) + "@" + b.entry + ".waiter";
}

// One try of a waiter on its build; false once it has nothing more to wait for.
bool still_waiting(const resolver::StoreLayout& layout, const BuildRef& b) {
  EntryState s = resolver::read_state(layout.entry_path(b.tool, b.entry));
  if (s == EntryState::Missing) {  // gone: its waiter lock goes too
    ::unlink(waiter_lock_path(layout, b).c_str());
    return false;
  }
  if (s != EntryState::Retired && s != EntryState::Reaping) return false;  // READY again (a rollback)
  return reap_build(layout, b.tool, b.entry, false).outcome == ReapOutcome::Busy;
}

}  // namespace

void wait_and_reap(const resolver::StoreLayout& layout, const std::vector<BuildRef>& builds) {
  struct Waited {
    BuildRef build;
    FileLock lock;
  };
  std::vector<Waited> mine;
  for (const auto& b : builds) {
    auto me = FileLock::try_acquire(waiter_lock_path(layout, b), LockMode::Exclusive);
    if (me && me->held()) mine.push_back(Waited{b, std::move(*me)});  // else another waiter has this build
  }
  auto delay = 20ms;
  for (;;) {
    std::erase_if(mine, [&](const Waited& w) { return !still_waiting(layout, w.build); });
    if (mine.empty()) return;
    std::this_thread::sleep_for(delay);
    delay = next_backoff(delay);
  }
}

void spawn_reap_waiter(const std::string& rtx_binary, const std::vector<BuildRef>& builds) {
  for (std::size_t first = 0; first < builds.size(); first += kBuildsPerWaiter) {
    std::vector<std::string> argv{rtx_binary, "__reap-wait"};
    for (std::size_t i = first; i < std::min(builds.size(), first + kBuildsPerWaiter); ++i) {
      argv.push_back(builds[i].tool);
      argv.push_back(builds[i].entry);
    }
    util::spawn_detached(argv);
  }
}

}  // namespace rtx::store
