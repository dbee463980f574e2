#include "manager/store/recovery.hpp"

#include <dirent.h>
#include <signal.h>
#include <cerrno>

#include <algorithm>
#include <set>

#include "manager/archive/staging_dir.hpp"
#include "manager/store/entries.hpp"
#include "manager/store/file_lock.hpp"
#include "manager/store/install_transaction.hpp"
#include "manager/store/pointers.hpp"
#include "manager/store/reaper.hpp"
#include "manager/store/reshim.hpp"
#include "manager/util/fs.hpp"
#include "manager/util/plugin_downloads.hpp"
#include "resolver/version.hpp"

namespace rtx::store {
namespace {

void remove_abandoned(const resolver::StoreLayout& layout, const Entry& e, RecoveryReport& report) {
  auto lock = FileLock::try_acquire(layout.install_lock(e.tool, e.version), LockMode::Exclusive);
  if (!lock || !lock->held()) return;  // an installer is working on it
  // Re-read under the lock: an installer may have committed since the listing.
  EntryState now = resolver::read_state(e.path);
  if (now == EntryState::Ready || now == EntryState::Retired || now == EntryState::Reaping) return;
  if (auto st = remove_entry(e.path); st)
    report.actions.push_back("removed abandoned " + std::string(resolver::state_name(e.state)) + " build " + e.path);
  else
    report.actions.push_back("cannot remove abandoned build " + e.path + ": " + st.error());
}

// Under the tool lock: pointers name READY builds only.
bool repair_pointers(const resolver::StoreLayout& layout, const std::string& tool, RecoveryReport& report) {
  bool changed = false;
  std::vector<Entry> entries = list_entries(layout, tool);
  std::set<std::string> named;
  for (const auto& p : list_pointers(layout, tool)) {
    auto it = std::find_if(entries.begin(), entries.end(), [&](const Entry& e) { return e.name == p.entry; });
    if (it != entries.end() && it->state == EntryState::Ready) {
      named.insert(p.entry);
      continue;
    }
    // The newest READY build of the same version replaces it, else the pointer goes.
    const Entry* best = nullptr;
    for (const auto& e : entries)
      if (e.version == p.version && e.state == EntryState::Ready && (!best || e.name > best->name)) best = &e;
    if (best) {
      if (auto st = set_pointer(layout, tool, p.version, best->name); !st) {
        report.actions.push_back("cannot repoint " + tool + " " + p.version + ": " + st.error());
        continue;
      }
      named.insert(best->name);
      report.actions.push_back("repointed " + tool + " " + p.version + " to " + best->path);
    } else if (auto st = remove_pointer(layout, tool, p.version); st) {
      report.actions.push_back("removed pointer " + tool + " " + p.version + " (build " + p.entry + " not READY)");
    } else {
      report.actions.push_back("cannot remove pointer " + tool + " " + p.version + ": " + st.error());
      continue;
    }
    changed = true;
  }
  for (const auto& e : entries) {
    if (e.state != EntryState::Ready || named.count(e.name)) continue;
    // A commit died before its pointer flip.
    if (auto st = set_state(e.path, EntryState::Retired); !st) {
      report.actions.push_back("cannot retire unreferenced build " + e.path + ": " + st.error());
      continue;
    }
    report.actions.push_back("retired unreferenced build " + e.path);
    changed = true;
  }
  if (changed)
    if (auto st = refresh_fuzzy_links(layout, tool); !st) report.actions.push_back(st.error());
  return changed;
}

// Extraction staging folders (".<entry>.extract-XXXXXX") whose build is no
// longer being built: a crash mid-extraction left them.
void sweep_staging(const resolver::StoreLayout& layout, const std::string& tool, RecoveryReport& report) {
  std::string dir = layout.store_dir(tool);
  std::vector<std::string> stale;
  if (DIR* d = ::opendir(dir.c_str())) {
    while (dirent* de = ::readdir(d)) {
      std::string name = de->d_name;
      if (!archive::is_staging_name(name)) continue;
      std::size_t cut = name.find(".extract-");
      std::string entry = name.substr(1, cut == std::string::npos ? std::string::npos : cut - 1);
      if (resolver::read_state(dir + "/" + entry) != EntryState::Building) stale.push_back(dir + "/" + name);
    }
    ::closedir(d);
  }
  for (const auto& path : stale)
    if (util::remove_tree(path)) report.actions.push_back("removed abandoned extraction " + path);
}

// Temporary files of atomic writes (".tmp.<name>.<pid>.<n>", atomic_file.cpp)
// whose writer is dead: a SIGKILL between create and rename left them. A live
// writer's (or a reused pid's) file is left for a later sweep.
void sweep_temp_files(const std::string& dir, RecoveryReport& report) {
  std::vector<std::string> stale;
  if (DIR* d = ::opendir(dir.c_str())) {
    while (dirent* de = ::readdir(d)) {
      std::string name = de->d_name;
      if (name.rfind(".tmp.", 0) != 0) continue;
      std::size_t last = name.rfind('.');
      std::size_t before = last == std::string::npos || last == 0 ? std::string::npos : name.rfind('.', last - 1);
      if (before == std::string::npos || before < 4) continue;
      std::string pid_text = name.substr(before + 1, last - before - 1);
      if (pid_text.empty() || pid_text.find_first_not_of("0123456789") != std::string::npos || pid_text.size() > 9)
        continue;
      if (::kill(pid_t(std::stol(pid_text)), 0) != 0 && errno == ESRCH) stale.push_back(dir + "/" + name);
    }
    ::closedir(d);
  }
  for (const auto& path : stale)
    if (::unlink(path.c_str()) == 0) report.actions.push_back("removed abandoned temporary file " + path);
}

}  // namespace

RecoveryReport recover_store(const resolver::StoreLayout& layout, const std::string& shim_binary,
                             const std::string& state_dir, const std::string& download_root) {
  RecoveryReport report;
  bool changed = false;
  for (const std::string& tool : list_tools(layout)) {
    for (const Entry& e : list_entries(layout, tool)) {
      if (e.state == EntryState::Building || e.state == EntryState::Failed || e.state == EntryState::Missing ||
          e.state == EntryState::Unknown)
        remove_abandoned(layout, e, report);
      else if (e.state == EntryState::Reaping && reap_build(layout, tool, e.name).outcome == ReapOutcome::Reaped)
        report.actions.push_back("finished reaping " + e.path);
    }
    sweep_staging(layout, tool, report);
    sweep_temp_files(layout.store_dir(tool), report);
    sweep_temp_files(layout.installs_dir(tool), report);
    auto tool_lock = FileLock::acquire(layout.tool_lock(tool), LockMode::Exclusive);
    if (!tool_lock) continue;
    if (util::exists(layout.store_dir(tool) + "/.commit")) {
      if (auto st = finish_interrupted_commit(layout, tool, state_dir); st)
        report.actions.push_back("finished an interrupted commit of " + tool);
      else
        report.actions.push_back("cannot finish an interrupted commit of " + tool + ": " + st.error());
      changed = true;
    }
    if (repair_pointers(layout, tool, report)) changed = true;
  }
  sweep_temp_files(layout.shims_dir(), report);
  if (changed)
    if (auto st = reshim(layout, shim_binary); !st) report.actions.push_back(st.error() + ": run 'rtx reshim'");
  if (!download_root.empty()) {
    auto sweep = util::sweep_plugin_downloads(layout, download_root);
    report.actions.insert(report.actions.end(), sweep.removed.begin(), sweep.removed.end());
    report.actions.insert(report.actions.end(), sweep.errors.begin(), sweep.errors.end());
  }
  return report;
}

}  // namespace rtx::store
