// The install transaction of DESIGN.md §6: install lock, BUILDING entry built
// in place, verify, then the commit under the tool lock in its fixed order.
// Any failure: the entry becomes FAILED and is removed; the pointer never moved.
//
// An upgrade (DESIGN.md §7) is the same transaction with an UpgradePlan: every
// decision of its commit (which build it supersedes, whether a tracked config
// still needs that one, whether a rollback meanwhile held the new version back
// or an overlapping upgrade got further) is made under the tool lock against
// the store found there, never against the plan read before the build.
#pragma once

#include <functional>
#include <string>
#include <vector>

#include "manager/store/builder.hpp"
#include "resolver/expected.hpp"
#include "resolver/request.hpp"
#include "resolver/store_layout.hpp"

namespace rtx::store {

// What `rtx upgrade` saw when it chose the version to build (plan_upgrade()).
struct UpgradePlan {
  resolver::Request request;      // the request being upgraded: its tool and the one spec
  std::string from;               // the READY build it resolved to then ("" when none)
  unsigned long rollbacks = 0;    // the tool's rollback count then (read before `from`)
  std::vector<std::string> held;  // versions held back then (ignored with --force)
  // The configs whose resolution may keep the superseded build READY (tracked
  // configs and the ones this command read); asked at commit, under the lock.
  std::function<std::vector<std::string>()> configs;
};

// Reads the plan for `request` (rollback count first, then what it resolves to).
UpgradePlan plan_upgrade(const resolver::StoreLayout& layout, const std::string& state_dir,
                         const resolver::Request& request);

struct InstallOptions {
  bool force = false;                    // a new build even when the version is installed
  std::string shim_binary;               // what shims/ links to
  std::string download_root;             // $RTX_CACHE_DIR/plugin-downloads
  std::string state_dir;                 // where the succession log lives ($RTX_STATE_DIR)
  const UpgradePlan* upgrade = nullptr;  // `rtx upgrade`: supersede what the request resolves to
  std::string locked_url;                // from a lockfile: BuildRequest::locked_url
  std::string locked_checksum;           // … and BuildRequest::locked_checksum
};

enum class Committed {
  Installed,         // READY, pointer flipped
  AlreadyInstalled,  // the version was READY already (found under the install lock); nothing built
  Overtaken,         // upgrade: the request resolves to `current`, as new or newer: build discarded
  HeldBack,          // upgrade: a rollback meanwhile held the version back or took the request back
                     // to `current`: build discarded, the version held back
};

struct InstallOutcome {
  std::string entry_path;
  bool already_installed = false;
  Committed committed = Committed::Installed;
  std::string retired_entry;          // the build this commit retired (same version, or superseded), if any
  std::string kept_entry;             // upgrade: the superseded build a tracked config keeps READY
  std::string kept_for;               // … and that config
  std::string current;                // Overtaken/HeldBack: what the request resolves to now
  std::vector<std::string> warnings;  // one line each (an unreadable tracked config, a failed reshim)
};

// A commit in progress, journalled beside the tool's builds
// (store/<tool>/.commit: "<new entry> <entry to retire or ->"), so a crash after
// the pointer flip is finished by recovery instead of leaving two READY builds.
// Caller holds the tool lock.
[[nodiscard]] Status finish_interrupted_commit(const resolver::StoreLayout& layout, const std::string& tool,
                                               const std::string& state_dir);

[[nodiscard]] Expected<InstallOutcome> install_version(const resolver::StoreLayout& layout, Builder& builder,
                                                       const std::string& tool, const std::string& version,
                                                       const InstallOptions& options);

}  // namespace rtx::store
