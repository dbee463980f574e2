// The checks of `rtx doctor`, one function each (issue 9 item 9). Each reads
// the real filesystem and the environment it is given, changes nothing, and
// returns its findings (none when all is well), so each is tested alone on
// temporary folders. doctor.hpp runs them all, after the repairs.
#pragma once

#include <chrono>
#include <ctime>
#include <string>

#include "manager/doctor/finding.hpp"
#include "manager/shell/completion.hpp"
#include "resolver/roots.hpp"
#include "resolver/store_layout.hpp"

namespace rtx::doctor {

// The variables the shell checks read, taken once from the environment.
struct ShellEnv {
  std::string path;             // $PATH
  std::string shell;            // $SHELL: its basename says which rc file to read
  std::string home;             // $HOME
  std::string zdotdir;          // $ZDOTDIR (zsh's rc folder, default $HOME)
  std::string xdg_config_home;  // $XDG_CONFIG_HOME (fish's, default $HOME/.config)

  static ShellEnv from_environment();
};

// --- PATH and the shell (path_checks.cpp, activation_check.cpp) -------------

// "path": shims/ is not on PATH at all.
Findings check_shims_on_path(const std::string& shims_dir, const ShellEnv& env, const std::string& rtx_binary);

// "path-order": a folder before shims/ on PATH holds an executable named like
// a shim, so that command runs the system one. One finding per such folder.
Findings check_shims_shadowed(const std::string& shims_dir, const ShellEnv& env, const std::string& rtx_binary);

// "activation": the rc file of the user's shell neither runs `rtx activate`
// nor names shims/. A warning when shims/ is not on PATH either, else a note
// (PATH got it elsewhere). Nothing when $SHELL is unset (cron, CI).
Findings check_activation(const std::string& shims_dir, const ShellEnv& env, const std::string& rtx_binary);

// ~/.bashrc; ${ZDOTDIR:-~}/.zshrc; ${XDG_CONFIG_HOME:-~/.config}/fish/config.fish.
std::string rc_file(shell::Shell shell, const ShellEnv& env);

// The line for that rc file, as scripts/install.sh prints it:
// eval "$(/path/to/rtx activate bash)", or `/path/to/rtx activate fish | source`.
std::string activation_line(shell::Shell shell, const std::string& rtx_binary);

// --- the data dir (root_checks.cpp, plugin_checks.cpp, build_checks.cpp) -----

// "roots": util::unsafe_roots, one problem each (DESIGN.md §2).
Findings check_unsafe_roots(const resolver::Roots& roots);

// "shim-binary": the executable every shim links to is missing.
Findings check_shim_binary(const std::string& shim_binary);

// "plugins": a plugin whose link dangles, that is not a folder, or that lacks
// an executable bin/list-all or bin/install (DESIGN.md §8).
Findings check_plugins(const resolver::StoreLayout& layout);

struct BuildCheckOptions {
  std::string state_dir;  // the succession logs: which RETIRED builds rollback keeps
  int keep_previous = 1;
  std::chrono::seconds stale_after{3600};  // longer than an install may take
  std::time_t now = 0;                     // 0: the current time
};

// "builds" (DESIGN.md §3): READY builds whose folder is gone (a problem);
// builds in any state but READY or RETIRED, or with no state file, older than
// `stale_after` (warnings); RETIRED builds that rollback does not keep and no
// process uses (notes: `rtx gc` frees the space).
Findings check_builds(const resolver::StoreLayout& layout, const BuildCheckOptions& options);

}  // namespace rtx::doctor
