#include "manager/store/install_transaction.hpp"

#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <filesystem>
#include <thread>

#include "manager/store/atomic_file.hpp"
#include "manager/store/entries.hpp"
#include "manager/store/file_lock.hpp"
#include "manager/store/pointers.hpp"
#include "manager/store/reshim.hpp"
#include "manager/store/retire.hpp"
#include "manager/store/succession_log.hpp"
#include "manager/store/upgrade_policy.hpp"
#include "manager/util/fault_point.hpp"
#include "manager/util/fs.hpp"
#include "manager/util/log.hpp"
#include "manager/util/process_runner.hpp"
#include "resolver/config_file.hpp"
#include "resolver/file_io.hpp"
#include "resolver/version.hpp"

namespace rtx::store {
namespace {

void say_waiting(const std::string& path, long holder) {
  std::string who = holder > 0 ? "pid " + std::to_string(holder) : "another rtx";
  util::log_info("waiting for " + who + ", which holds " + path);
}

bool has_executable(const std::string& dir) {
  std::error_code ec;
  for (const auto& e : std::filesystem::directory_iterator(dir, ec))
    if (resolver::is_executable_file(e.path().string())) return true;
  return false;
}

bool contains(const std::vector<std::string>& list, const std::string& item) {
  return std::find(list.begin(), list.end(), item) != list.end();
}

// Builder work on a BUILDING entry: install, describe, verify, smoke.
Status build_entry(Builder& builder, const BuildRequest& req) {
  if (auto st = builder.install(req); !st) return st;
  util::fault_point("install-after-build");
  if (util::interrupted()) return make_error("interrupted");
  auto meta = builder.describe_build(req);
  if (!meta) return Error{meta.error()};
  for (const auto& dir : meta->bin_dirs) {
    if (!has_executable(req.install_path + "/" + dir))
      return make_error(builder.describe() + " installed " + req.tool + " " + req.version + " without executables in " +
                        req.install_path + "/" + dir + ": the plugin's install step is broken");
  }
  auto meta_text = meta->serialize();
  if (!meta_text) return Error{meta_text.error()};
  if (auto st = write_file_atomic(resolver::meta_path(req.install_path), *meta_text); !st) return st;
  if (auto st = builder.smoke_test(req, *meta); !st) return st;
  if (util::interrupted()) return make_error("interrupted");
  return ok_status();
}

std::string journal_path(const resolver::StoreLayout& layout, const std::string& tool) {
  return layout.store_dir(tool) + "/.commit";
}

Status remove_journal(const resolver::StoreLayout& layout, const std::string& tool) {
  if (::unlink(journal_path(layout, tool).c_str()) != 0 && errno != ENOENT)
    return make_error("cannot remove " + journal_path(layout, tool) + ": " + util::errno_text());
  return ok_status();
}

// What the commit does, decided under the tool lock from what is there now.
struct Decision {
  Committed kind = Committed::Installed;
  std::string retire;   // the build this commit retires
  std::string current;  // Overtaken/HeldBack: what the request resolves to
  std::string kept, kept_for;
  std::vector<std::string> warnings;
};

Decision decide(const resolver::StoreLayout& layout, const Entry& e, const InstallOptions& options) {
  Decision d;
  // A reinstall: the previous build of the same version.
  std::string previous = resolver::pointer_entry(layout, e.tool, e.version);
  if (!previous.empty() && previous != e.name) d.retire = previous;
  const UpgradePlan* plan = options.upgrade;
  if (!plan) return d;

  // An upgrade supersedes what its request resolves to now, not what it did
  // when the upgrade was planned.
  const std::string now = resolved_entry(layout, plan->request);
  if (!options.state_dir.empty()) {
    SuccessionLog log(options.state_dir, e.tool);
    // A rollback since the plan is the user's later word: it wins if it held
    // this version back or took the request back to another build.
    if (contains(log.held_back(), e.version) || (log.rollbacks() != plan->rollbacks && now != plan->from)) {
      d.kind = Committed::HeldBack;
      d.current = now;
      return d;
    }
  }
  // An overlapping upgrade got as far or further: serially, this one would
  // have found the request up to date.
  if (!now.empty() && resolver::compare_versions(version_of_entry(now), e.version) >= 0) {
    d.kind = Committed::Overtaken;
    d.current = now;
    return d;
  }
  if (!d.retire.empty() || now.empty() || now == e.name) return d;
  StillNeeded need =
      still_needed(layout, e.tool, now, e.name, plan->configs ? plan->configs() : std::vector<std::string>{});
  d.warnings = std::move(need.warnings);
  if (need.config.empty()) {
    d.retire = now;
  } else {
    d.kept = now;
    d.kept_for = need.config;
  }
  return d;
}

// DESIGN.md §6 step 5, in this order, under the tool lock: the new build READY,
// the pointer and fuzzy links, the superseded build RETIRED, shims/.index.
// An error before the pointer flip: nothing happened (the caller discards the
// build). After it the install stands; what is left to do stays in the journal,
// which the next command's recovery finishes, and is reported as a warning.
Expected<InstallOutcome> commit(const resolver::StoreLayout& layout, const Entry& e, const InstallOptions& options) {
  auto tool_lock = FileLock::acquire(layout.tool_lock(e.tool), LockMode::Exclusive);
  if (!tool_lock) return Error{tool_lock.error()};
  Decision d = decide(layout, e, options);
  InstallOutcome out;
  out.entry_path = e.path;
  out.committed = d.kind;
  out.current = d.current;
  out.kept_entry = d.kept;
  out.kept_for = d.kept_for;
  out.warnings = std::move(d.warnings);
  if (d.kind == Committed::Overtaken) return out;
  if (d.kind == Committed::HeldBack) {
    if (auto st = SuccessionLog(options.state_dir, e.tool).hold_back(e.version); !st) return Error{st.error()};
    return out;
  }

  if (auto st =
          write_file_atomic(journal_path(layout, e.tool), e.name + " " + (d.retire.empty() ? "-" : d.retire) + "\n");
      !st)
    return Error{st.error()};
  util::fault_point("commit-before-ready");
  Status flipped = set_state(e.path, EntryState::Ready);
  util::fault_point("commit-after-ready");
  if (flipped) flipped = set_pointer(layout, e.tool, e.version, e.name);
  if (!flipped) {
    (void)remove_journal(layout, e.tool);  // best effort: a journal whose flip never happened is dropped by recovery
    return Error{flipped.error()};
  }
  util::fault_point("commit-after-flip");
  bool finished = true;
  auto later = [&](const std::string& what, const std::string& error) {
    out.warnings.push_back(what + ": " + error + "; the next rtx command finishes it (or run 'rtx doctor')");
    finished = false;
  };
  if (auto st = refresh_fuzzy_links(layout, e.tool); !st) later("updating the links of " + e.tool, st.error());
  if (!d.retire.empty()) {
    auto retired = retire_build(layout, e.tool, d.retire, e.name, options.state_dir);
    if (!retired)
      later("retiring " + e.tool + " " + d.retire, retired.error());
    else if (*retired)
      out.retired_entry = d.retire;
  }
  util::fault_point("commit-after-retire");
  if (finished)
    if (auto st = remove_journal(layout, e.tool); !st) out.warnings.push_back(st.error());
  if (auto st = reshim(layout, options.shim_binary); !st)
    // The pointer has moved: the install stands; `rtx reshim` repairs the shims.
    out.warnings.push_back(st.error() + ": run 'rtx reshim'");
  return out;
}

// A build that never became READY goes: FAILED, then removed. A removal that
// fails leaves it FAILED, which recovery removes.
std::string discard(const Entry& e) {
  Status st = set_state(e.path, EntryState::Failed);
  if (st) st = remove_entry(e.path);
  return st ? std::string() : "the unfinished build " + e.path + " stays until the next rtx command: " + st.error();
}

}  // namespace

UpgradePlan plan_upgrade(const resolver::StoreLayout& layout, const std::string& state_dir,
                         const resolver::Request& request) {
  UpgradePlan plan;
  plan.request = request;
  if (!state_dir.empty()) {
    SuccessionLog log(state_dir, request.tool);
    plan.rollbacks = log.rollbacks();  // before `from`: a rollback after this read is seen at commit
    plan.held = log.held_back();
  }
  plan.from = resolved_entry(layout, request);
  return plan;
}

Status finish_interrupted_commit(const resolver::StoreLayout& layout, const std::string& tool,
                                 const std::string& state_dir) {
  std::string text;
  if (resolver::read_file(journal_path(layout, tool), text) != 0) return ok_status();
  std::size_t sp = text.find(' ');
  std::string entry = text.substr(0, sp);
  std::string retire = sp == std::string::npos ? "-" : text.substr(sp + 1, text.find('\n', sp) - sp - 1);
  // Only a commit that got as far as its pointer flip is finished; one that
  // died earlier never happened (its READY orphan is retired by recovery).
  if (resolver::read_state(layout.entry_path(tool, entry)) == EntryState::Ready &&
      resolver::pointer_entry(layout, tool, version_of_entry(entry)) == entry) {
    if (auto st = refresh_fuzzy_links(layout, tool); !st) return st;
    if (retire != "-")
      if (auto retired = retire_build(layout, tool, retire, entry, state_dir); !retired) return Error{retired.error()};
  }
  return remove_journal(layout, tool);
}

Expected<InstallOutcome> install_version(const resolver::StoreLayout& layout, Builder& builder, const std::string& tool,
                                         const std::string& version, const InstallOptions& options) {
  if (auto st = resolver::validate_tool_name(tool); !st) return Error{st.error()};
  if (auto st = resolver::validate_version(version); !st) return Error{st.error()};

  auto install_lock = FileLock::acquire(layout.install_lock(tool, version), LockMode::Exclusive, say_waiting);
  if (!install_lock) return Error{install_lock.error()};
  install_lock->record_holder();

  if (!options.force) {
    std::string current = resolver::pointer_entry(layout, tool, version);
    if (!current.empty() && resolver::read_state(layout.entry_path(tool, current)) == EntryState::Ready) {
      InstallOutcome out;
      out.entry_path = layout.entry_path(tool, current);
      out.already_installed = true;
      out.committed = Committed::AlreadyInstalled;
      return out;
    }
  }

  auto entry = create_building_entry(layout, tool, version);
  if (!entry) return Error{entry.error()};
  util::fault_point("install-after-create");

  BuildRequest req{tool,
                   version,
                   entry->path,
                   options.download_root + "/" + entry->name,
                   int(std::max(1u, std::thread::hardware_concurrency())),
                   options.locked_url,
                   options.locked_checksum};
  Status built = util::make_dirs(req.download_path);
  if (built) built = build_entry(builder, req);
  std::vector<std::string> warnings;
  if (auto st = util::remove_tree(req.download_path); !st) warnings.push_back(st.error());
  Expected<InstallOutcome> committed =
      built ? commit(layout, *entry, options) : Expected<InstallOutcome>(Error{built.error()});
  if (!committed) {
    std::string left = discard(*entry);
    return make_error("installing " + tool + " " + version + " failed, nothing changed: " + committed.error() +
                      (left.empty() ? "" : "; " + left));
  }
  if (committed->committed == Committed::Overtaken || committed->committed == Committed::HeldBack) {
    if (std::string left = discard(*entry); !left.empty()) committed->warnings.push_back(left);
    committed->entry_path.clear();
  }
  committed->warnings.insert(committed->warnings.begin(), warnings.begin(), warnings.end());
  return committed;
}

}  // namespace rtx::store
