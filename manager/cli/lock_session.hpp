// How `rtx install`, `use`, `upgrade` and `lock` read and keep lockfiles
// (DESIGN.md §11, issue 10 item 1). A config's lock is the rtx.lock beside it
// (or the mise.lock there when it has no rtx.lock: lock::lockfile_for_config).
//
//   LockSession locks(ctx, *mode);
//   auto choice = locks.choose(request, spec);       // what the lock says, if anything
//   auto v = ensure_installed(ctx, tool, spec, false, choice->has_value() ? &**choice : nullptr);
//   locks.record(request, spec, *v);                 // the lock follows what was installed
//   locks.flush();                                   // one atomic write per changed lock
//
// Thread-safe: `rtx install -j N` shares one session between its workers.
#pragma once

#include <map>
#include <mutex>
#include <optional>
#include <string>
#include <vector>

#include "manager/cli/context.hpp"
#include "manager/lock/lockfile.hpp"
#include "resolver/expected.hpp"
#include "resolver/request.hpp"
#include "resolver/version_spec.hpp"

namespace rtx::cli {

struct LockMode {
  // Install exactly what the lock says and fail on anything missing or
  // different: --locked, RTX_LOCKED=1, [settings] locked = true.
  bool locked = false;
  // Write a lock beside a config that has none yet: RTX_LOCKFILE=1,
  // [settings] lockfile = true. (A lock that exists is always kept current.)
  bool create = false;
};

// The mode from the flag, the environment and the settings; a bad
// RTX_LOCKED / RTX_LOCKFILE value is one error line.
Expected<LockMode> lock_mode(const Context& ctx, bool cli_locked);

// The `backend` a lock records for `tool` (as mise writes it): "core:node",
// "npm:cowsay", "asdf:hello".
std::string lock_backend_name(const Context& ctx, const std::string& tool);

// The platforms to lock: `wanted` when given, else those the existing entries
// of the tool already have, else all four of lock::kLockPlatforms (and always
// this machine's).
std::vector<std::string> platforms_to_lock(const std::vector<std::string>& wanted,
                                           const std::vector<lock::LockedTool>& existing);

class LockSession {
 public:
  LockSession(const Context& ctx, LockMode mode) : ctx_(ctx), mode_(mode) {}

  // What the lock of `req`'s config says `spec` installs; nullopt when no lock
  // governs it (the request is not from a config file, there is no lock, or
  // it has no entry for this spec and the mode is not locked). Under
  // `locked`, a missing lock, entry or artifact for this platform is an error
  // line naming the lock and how to fix it.
  Expected<std::optional<LockedChoice>> choose(const resolver::Request& req, const resolver::VersionSpec& spec);

  // `version` now serves `spec` of `req`: its lock entry is brought up to
  // date by flush() (when the lock exists or mode.create). Entries of the
  // tool for specs `req` no longer has are dropped then too.
  void record(const resolver::Request& req, const resolver::VersionSpec& spec, const std::string& version);

  // Writes each lock with recorded changes: artifacts for the entry's
  // platforms from the backend's index, one atomic write per file, one note
  // per changed entry. Nothing is fetched for an entry already up to date.
  Status flush();

 private:
  struct Recorded {
    resolver::Request request;
    std::string spec;
    std::string version;
  };
  // The lock `path` as read once (an unreadable one is the error).
  Expected<const lock::Lockfile*> lockfile(const std::string& path);

  const Context& ctx_;
  LockMode mode_;
  std::mutex mutex_;
  std::map<std::string, lock::Lockfile> read_;
  std::vector<Recorded> recorded_;
};

// The config file a request came from, when it came from one ("" for a
// variable or the command line).
std::string config_of(const resolver::Request& req);

}  // namespace rtx::cli
