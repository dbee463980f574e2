#include "manager/store/install_transaction.hpp"

#include <unistd.h>
#include <filesystem>
#include <thread>

#include "manager/store/atomic_file.hpp"
#include "manager/store/entries.hpp"
#include "manager/store/file_lock.hpp"
#include "manager/store/pointers.hpp"
#include "manager/store/reshim.hpp"
#include "manager/store/succession_log.hpp"
#include "manager/util/fault_point.hpp"
#include "manager/util/fs.hpp"
#include "manager/util/process_runner.hpp"
#include "resolver/config_file.hpp"
#include "resolver/file_io.hpp"
#include "resolver/version.hpp"

namespace rtx::store {
namespace {

void say_waiting(const std::string& path, long holder) {
  std::string who = holder > 0 ? "pid " + std::to_string(holder) : "another rtx";
  std::string line = "rtx: waiting for " + who + ", which holds " + path + "\n";
  (void)!::write(STDERR_FILENO, line.data(), line.size());
}

bool has_executable(const std::string& dir) {
  std::error_code ec;
  for (const auto& e : std::filesystem::directory_iterator(dir, ec))
    if (resolver::is_executable_file(e.path().string())) return true;
  return false;
}

// Backend work on a BUILDING entry: install, describe, verify, smoke.
Status build_entry(backends::Backend& backend, const backends::InstallRequest& req) {
  if (auto st = backend.install(req); !st) return st;
  util::fault_point("install-after-build");
  if (util::interrupted()) return make_error("interrupted");
  auto meta = backend.describe_build(req);
  if (!meta) return Error{meta.error()};
  for (const auto& dir : meta->bin_dirs) {
    if (!has_executable(req.install_path + "/" + dir))
      return make_error(backend.describe() + " installed " + req.tool + " " + req.version + " without executables in " +
                        req.install_path + "/" + dir + ": the plugin's install step is broken");
  }
  auto meta_text = meta->serialize();
  if (!meta_text) return Error{meta_text.error()};
  if (auto st = write_file_atomic(resolver::meta_path(req.install_path), *meta_text); !st) return st;
  if (auto st = backend.smoke_test(req, *meta); !st) return st;
  if (util::interrupted()) return make_error("interrupted");
  return ok_status();
}

std::string journal_path(const resolver::StoreLayout& layout, const std::string& tool) {
  return layout.store_dir(tool) + "/.commit";
}

// Retires `old` after `entry` took over: its pointer goes first (installs/
// names READY builds only), then its state; the succession is logged.
void retire_superseded(const resolver::StoreLayout& layout, const std::string& tool, const std::string& entry,
                       const std::string& old, const std::string& state_dir) {
  if (old.empty() || old == entry) return;
  std::string old_path = layout.entry_path(tool, old);
  if (resolver::read_state(old_path) != EntryState::Ready) return;
  std::string old_version = version_of_entry(old);
  if (old_version != version_of_entry(entry) && resolver::pointer_entry(layout, tool, old_version) == old)
    remove_pointer(layout, tool, old_version);
  refresh_fuzzy_links(layout, tool);
  set_state(old_path, EntryState::Retired);
  if (!state_dir.empty()) SuccessionLog(state_dir, tool).append(Succession{old, entry});
}

// DESIGN.md §6 step 5, in this order, under the tool lock.
Expected<std::string> commit(const resolver::StoreLayout& layout, const Entry& e, const InstallOptions& options) {
  auto tool_lock = FileLock::acquire(layout.tool_lock(e.tool), LockMode::Exclusive);
  if (!tool_lock) return Error{tool_lock.error()};
  // What this commit will retire: the previous build of the same version, or
  // the superseded one unless a tracked config will still resolve to it.
  std::string previous = resolver::pointer_entry(layout, e.tool, e.version);
  std::string retire;
  if (!previous.empty() && previous != e.name) {
    retire = previous;
  } else if (!options.supersedes.empty() && options.supersedes != e.name &&
             !(options.still_needed && options.still_needed(options.supersedes, e.name))) {
    retire = options.supersedes;
  }
  if (auto st = write_file_atomic(journal_path(layout, e.tool), e.name + " " + (retire.empty() ? "-" : retire) + "\n");
      !st)
    return Error{st.error()};
  util::fault_point("commit-before-ready");
  if (auto st = set_state(e.path, EntryState::Ready); !st) return Error{st.error()};
  util::fault_point("commit-after-ready");
  if (auto st = set_pointer(layout, e.tool, e.version, e.name); !st) return Error{st.error()};
  util::fault_point("commit-after-flip");
  refresh_fuzzy_links(layout, e.tool);
  bool retiring = !retire.empty() && resolver::read_state(layout.entry_path(e.tool, retire)) == EntryState::Ready;
  retire_superseded(layout, e.tool, e.name, retire, options.state_dir);
  util::fault_point("commit-after-retire");
  ::unlink(journal_path(layout, e.tool).c_str());
  if (auto st = reshim(layout, options.shim_binary); !st) {
    // The pointer has moved: the install stands; `rtx reshim` repairs the shims.
    std::string line = "rtx: warning: " + st.error() + ": run 'rtx reshim'\n";
    (void)!::write(STDERR_FILENO, line.data(), line.size());
  }
  return retiring ? retire : std::string();
}

}  // namespace

void finish_interrupted_commit(const resolver::StoreLayout& layout, const std::string& tool,
                               const std::string& state_dir) {
  std::string text;
  if (resolver::read_file(journal_path(layout, tool), text) != 0) return;
  std::size_t sp = text.find(' ');
  std::string entry = text.substr(0, sp);
  std::string retire = sp == std::string::npos ? "-" : text.substr(sp + 1, text.find('\n', sp) - sp - 1);
  // Only a commit that got as far as its pointer flip is finished; one that
  // died earlier never happened (its READY orphan is retired by recovery).
  if (resolver::read_state(layout.entry_path(tool, entry)) == EntryState::Ready &&
      resolver::pointer_entry(layout, tool, version_of_entry(entry)) == entry) {
    refresh_fuzzy_links(layout, tool);
    if (retire != "-") retire_superseded(layout, tool, entry, retire, state_dir);
  }
  ::unlink(journal_path(layout, tool).c_str());
}

Expected<InstallOutcome> install_version(const resolver::StoreLayout& layout, backends::Backend& backend,
                                         const std::string& tool, const std::string& version,
                                         const InstallOptions& options) {
  if (auto st = resolver::validate_tool_name(tool); !st) return Error{st.error()};
  if (auto st = resolver::validate_version(version); !st) return Error{st.error()};

  auto install_lock = FileLock::acquire(layout.install_lock(tool, version), LockMode::Exclusive, say_waiting);
  if (!install_lock) return Error{install_lock.error()};
  install_lock->record_holder();

  if (!options.force) {
    std::string current = resolver::pointer_entry(layout, tool, version);
    if (!current.empty() && resolver::read_state(layout.entry_path(tool, current)) == EntryState::Ready)
      return InstallOutcome{layout.entry_path(tool, current), true, {}};
  }

  auto entry = create_building_entry(layout, tool, version);
  if (!entry) return Error{entry.error()};
  util::fault_point("install-after-create");

  backends::InstallRequest req{tool, version, entry->path, options.download_root + "/" + entry->name,
                               int(std::max(1u, std::thread::hardware_concurrency()))};
  util::make_dirs(req.download_path);
  Status built = build_entry(backend, req);
  util::remove_tree(req.download_path);
  Expected<std::string> committed =
      built ? commit(layout, *entry, options) : Expected<std::string>(Error{built.error()});
  if (!committed) {
    set_state(entry->path, EntryState::Failed);
    remove_entry(entry->path);
    return make_error("installing " + tool + " " + version + " failed, nothing changed: " + committed.error());
  }
  return InstallOutcome{entry->path, false, *committed};
}

}  // namespace rtx::store
