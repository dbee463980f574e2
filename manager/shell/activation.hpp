// `rtx activate SHELL` / `rtx deactivate SHELL` (issue 9 item 2): shell code
// that puts shims/ first on PATH, exactly once, loads completions and sets the
// shell's command-not-found hook. Nothing runs per prompt: the shims resolve
// and pin versions themselves, and the hook runs only when a command is not
// found, so an activated shell costs nothing after it starts.
#pragma once

#include <string>

#include "manager/shell/completion.hpp"

namespace rtx::shell {

// Sourcing it twice leaves one shims entry, first; sourcing it after a later
// `PATH=/x:$PATH` moves the entry back to the front. Defines an `rtx` shell
// function only so that `rtx deactivate` can change the shell's own PATH; it
// and the completion run `rtx_exe` (this rtx), so PATH need not hold rtx.
//
// The not-found hook (bash `command_not_found_handle`, zsh
// `command_not_found_handler`, fish `fish_command_not_found`) asks `rtx
// __not-found CMD` whether a tool configured here provides CMD and installed
// it (exit 0: the hook runs the command again, now through its shim); on 127
// the hook the shell had before (Debian's command-not-found, fish's own) or
// the shell's usual message takes over; on any other status rtx has said why
// it did not install, and the hook returns 127. Never for `rtx` itself;
// sourcing twice keeps the earlier hook, never one that calls itself.
std::string activate_script(Shell shell, const std::string& shims_dir, const std::string& rtx_exe);

// Removes every shims entry from PATH, the `rtx` function, the completion and
// the not-found hook, bringing back the hook the shell had before.
std::string deactivate_script(Shell shell, const std::string& shims_dir);

// What a new user adds to the shell's rc file to activate the rtx at
// `rtx_exe` (scripts/install.sh prints it): the line, ending in a comment
// naming the file, e.g. `eval "$('/p/bin/rtx' activate bash)"  # ~/.bashrc`.
std::string rc_line(Shell shell, const std::string& rtx_exe);

// `text` as one single-quoted word of `shell`.
std::string shell_quote(Shell shell, const std::string& text);

}  // namespace rtx::shell
