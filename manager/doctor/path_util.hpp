// What the PATH and shell checks share: PATH split into folders, where
// shims/ sits in it, which shell the user runs.
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "manager/doctor/checks.hpp"

namespace rtx::doctor {

// PATH's folders in order; an empty entry (the current directory) is kept as "".
std::vector<std::string> path_dirs(const std::string& path);

// Index of the first PATH folder that is `shims_dir` (by name, or the same
// folder reached another way), or none.
std::optional<std::size_t> shims_position(const std::vector<std::string>& dirs, const std::string& shims_dir);

// The shell $SHELL names (its basename), when rtx can activate it.
std::optional<shell::Shell> user_shell(const ShellEnv& env);

// The basename of $SHELL ("tcsh"), empty when unset.
std::string shell_name(const ShellEnv& env);

// How to put shims/ first on PATH for this user: the activation line and its
// rc file for a shell rtx knows, an export line otherwise.
std::string put_shims_first(const std::string& shims_dir, const ShellEnv& env, const std::string& rtx_binary);

}  // namespace rtx::doctor
