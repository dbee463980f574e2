#include "manager/store/garbage.hpp"

#include <unistd.h>
#include <algorithm>
#include <chrono>
#include <thread>

#include "manager/store/entries.hpp"
#include "manager/store/file_lock.hpp"
#include "manager/store/reaper.hpp"
#include "manager/store/succession_log.hpp"
#include "manager/util/process_runner.hpp"

namespace rtx::store {
namespace {

using namespace std::chrono_literals;

std::chrono::milliseconds next_backoff(std::chrono::milliseconds d) {
  return std::min<std::chrono::milliseconds>(d * 2, 250ms);
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
      auto r = reap_build(layout, tool, e.name);
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
    for (const auto& item : items)
      if (item.status == GcStatus::Busy) spawn_reap_waiter(options.waiter_binary, item.tool, item.entry);
  }
  return items;
}

void wait_and_reap(const resolver::StoreLayout& layout, const std::string& tool, const std::string& entry) {
  auto me = FileLock::try_acquire(layout.data + "/locks/" + resolver::tool_dir_name(tool) + "@" + entry + ".waiter",
                                  LockMode::Exclusive);
  if (!me || !me->held()) return;  // another waiter has this build
  auto delay = 20ms;
  for (;;) {
    EntryState s = resolver::read_state(layout.entry_path(tool, entry));
    if (s == EntryState::Missing) {  // gone: its waiter lock goes too
      ::unlink((layout.data + "/locks/" + resolver::tool_dir_name(tool) + "@" + entry + ".waiter").c_str());
      return;
    }
    if (s != EntryState::Retired && s != EntryState::Reaping) return;  // READY again (a rollback)
    auto r = reap_build(layout, tool, entry, false);
    if (r.outcome != ReapOutcome::Busy) return;
    std::this_thread::sleep_for(delay);
    delay = next_backoff(delay);
  }
}

void spawn_reap_waiter(const std::string& rtx_binary, const std::string& tool, const std::string& entry) {
  util::spawn_detached({rtx_binary, "__reap-wait", tool, entry});
}

}  // namespace rtx::store
