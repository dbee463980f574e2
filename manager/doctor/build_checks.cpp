// Check (6) of `rtx doctor`: builds in states DESIGN.md §3 only passes through.
// Doctor runs it after recovery, so what is left here is what recovery may not
// touch (an install lock is held, a root is unsafe) or does not judge (a READY
// build whose folder someone deleted, RETIRED builds waiting for `rtx gc`).
#include <sys/stat.h>

#include <algorithm>
#include <ctime>

#include "manager/doctor/checks.hpp"
#include "manager/store/entries.hpp"
#include "manager/store/garbage.hpp"
#include "manager/store/lease_scan.hpp"
#include "manager/store/proc_scan.hpp"

namespace rtx::doctor {
namespace {

using resolver::EntryState;

// When the build last changed state: its state file, else the newest of its other files.
std::time_t changed_at(const std::string& entry_path) {
  struct stat st {};
  if (::lstat(resolver::state_path(entry_path).c_str(), &st) == 0) return st.st_mtime;
  std::time_t newest = 0;
  for (const std::string& p : {entry_path, resolver::lease_path(entry_path), resolver::meta_path(entry_path)})
    if (::lstat(p.c_str(), &st) == 0) newest = std::max(newest, st.st_mtime);
  return newest;
}

std::string age_text(std::time_t seconds) {
  if (seconds < 120) return std::to_string(seconds) + " s";
  if (seconds < 7200) return std::to_string(seconds / 60) + " min";
  if (seconds < 2 * 86400) return std::to_string(seconds / 3600) + " h";
  return std::to_string(seconds / 86400) + " days";
}

bool is_dir(const std::string& path) {
  struct stat st {};
  return ::stat(path.c_str(), &st) == 0 && S_ISDIR(st.st_mode);
}

Finding stuck(const resolver::StoreLayout& layout, const store::Entry& e, std::time_t age) {
  const std::string spec = e.tool + "@" + e.version;
  const std::string lock = layout.install_lock(e.tool, e.version);
  const std::string since = " for " + age_text(age);
  const std::string crash_fix = "if no 'rtx install " + spec +
                                "' runs, 'rtx doctor' removes it once no root is unsafe; " +
                                "if one hangs, stop it first ('fuser " + lock + "' names it)";
  switch (e.state) {
    case EntryState::Missing:
      return {Severity::Warning, "builds",
              e.path + " has no state file (" + resolver::state_path(e.path) + ")" + since +
                  ": rtx cannot tell whether it is whole",
              crash_fix};
    case EntryState::Reaping:
      return {Severity::Warning, "builds", e.path + " has been REAPING" + since + ": its removal stopped half-way",
              "'rtx gc --wait' finishes it"};
    case EntryState::Unknown:
      return {Severity::Warning, "builds",
              resolver::state_path(e.path) + " holds no state rtx knows" + since + " (READY, RETIRED, BUILDING, …)",
              crash_fix};
    default:
      return {Severity::Warning, "builds",
              e.path + " has been " + std::string(resolver::state_name(e.state)) + since +
                  ", longer than an install may take (RTX_INSTALL_TIMEOUT)",
              crash_fix};
  }
}

}  // namespace

Findings check_builds(const resolver::StoreLayout& layout, const BuildCheckOptions& options) {
  const std::time_t now = options.now ? options.now : std::time(nullptr);
  Findings out;
  std::vector<store::Entry> unused_candidates;
  for (const auto& tool : store::list_tools(layout)) {
    auto kept = store::kept_for_rollback(layout, options.state_dir, tool, options.keep_previous);
    for (const auto& e : store::list_entries(layout, tool)) {
      if (e.state == EntryState::Ready) {
        if (!is_dir(e.path))
          out.push_back({Severity::Problem, "builds",
                         e.path + " is READY but its folder is gone: " + e.tool + " " + e.version + " cannot run",
                         "'rtx install --force " + e.tool + "@" + e.version + "' builds it again"});
      } else if (e.state == EntryState::Retired) {
        if (std::find(kept.begin(), kept.end(), e.name) == kept.end()) unused_candidates.push_back(e);
      } else if (std::time_t age = now - changed_at(e.path); age > options.stale_after.count()) {
        out.push_back(stuck(layout, e, age));
      }
    }
  }
  if (unused_candidates.empty()) return out;
  // One /proc pass for all of them (lease fds and the reaper's safety net), and
  // the lease's flock for holders rtx cannot see (another user's processes).
  std::vector<store::BuildRef> watched;
  for (const auto& e : unused_candidates) watched.push_back({e.tool, e.name});
  auto holdings = store::scan_holdings(layout, "", watched);
  for (const auto& e : unused_candidates) {
    bool held = std::any_of(holdings.begin(), holdings.end(), [&](const store::Holding& h) {
      return h.build == store::BuildRef{e.tool, e.name};
    });
    if (held || store::lease_locked(e.path)) continue;
    out.push_back({Severity::Note, "builds",
                   e.path + " is RETIRED, kept for no rollback, and no process uses it: it only takes disk space",
                   "'rtx gc' removes it"});
  }
  return out;
}

}  // namespace rtx::doctor
