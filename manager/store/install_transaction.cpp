#include "manager/store/install_transaction.hpp"

#include <filesystem>
#include <thread>
#include <unistd.h>

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
  if (auto st = write_file_atomic(resolver::meta_path(req.install_path), meta->serialize()); !st) return st;
  if (auto st = backend.smoke_test(req, *meta); !st) return st;
  if (util::interrupted()) return make_error("interrupted");
  return ok_status();
}

// DESIGN.md §6 step 5, in this order, under the tool lock.
Expected<std::string> commit(const resolver::StoreLayout& layout, const Entry& e, const InstallOptions& options) {
  auto tool_lock = FileLock::acquire(layout.tool_lock(e.tool), LockMode::Exclusive);
  if (!tool_lock) return Error{tool_lock.error()};
  util::fault_point("commit-before-ready");
  if (auto st = set_state(e.path, EntryState::Ready); !st) return Error{st.error()};
  util::fault_point("commit-after-ready");
  std::string previous = resolver::pointer_entry(layout, e.tool, e.version);
  if (auto st = set_pointer(layout, e.tool, e.version, e.name); !st) return Error{st.error()};
  util::fault_point("commit-after-flip");
  refresh_fuzzy_links(layout, e.tool);
  std::string retired;
  if (!previous.empty() && previous != e.name &&
      resolver::read_state(layout.entry_path(e.tool, previous)) == EntryState::Ready) {
    set_state(layout.entry_path(e.tool, previous), EntryState::Retired);
    retired = previous;
  }
  const std::string& old = options.supersedes;
  if (!old.empty() && old != e.name && resolver::read_state(layout.entry_path(e.tool, old)) == EntryState::Ready &&
      !(options.still_needed && options.still_needed(old))) {
    // installs/ names READY builds only: the pointer goes before the state changes.
    std::string old_version = version_of_entry(old);
    if (resolver::pointer_entry(layout, e.tool, old_version) == old) remove_pointer(layout, e.tool, old_version);
    refresh_fuzzy_links(layout, e.tool);
    set_state(layout.entry_path(e.tool, old), EntryState::Retired);
    retired = old;
  }
  if (!retired.empty() && !options.state_dir.empty())
    SuccessionLog(options.state_dir, e.tool).append(Succession{retired, e.name});
  util::fault_point("commit-after-retire");
  if (auto st = reshim(layout, options.shim_binary); !st) {
    // The pointer has moved: the install stands; `rtx reshim` repairs the shims.
    std::string line = "rtx: warning: " + st.error() + ": run 'rtx reshim'\n";
    (void)!::write(STDERR_FILENO, line.data(), line.size());
  }
  return retired;
}

}  // namespace

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
  Expected<std::string> committed = built ? commit(layout, *entry, options) : Expected<std::string>(Error{built.error()});
  if (!committed) {
    set_state(entry->path, EntryState::Failed);
    remove_entry(entry->path);
    return make_error("installing " + tool + " " + version + " failed, nothing changed: " + committed.error());
  }
  return InstallOutcome{entry->path, false, *committed};
}

}  // namespace rtx::store
