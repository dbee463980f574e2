// `rtx activate SHELL` / `rtx deactivate SHELL` (issue 9 item 2): shell code
// that puts shims/ first on PATH, exactly once, and loads completions. Nothing
// runs per prompt: the shims resolve and pin versions themselves, so an
// activated shell costs nothing after it starts.
#pragma once

#include <string>

#include "manager/shell/completion.hpp"

namespace rtx::shell {

// Sourcing it twice leaves one shims entry, first; sourcing it after a later
// `PATH=/x:$PATH` moves the entry back to the front. Defines an `rtx` shell
// function only so that `rtx deactivate` can change the shell's own PATH; it
// and the completion run `rtx_exe` (this rtx), so PATH need not hold rtx.
std::string activate_script(Shell shell, const std::string& shims_dir, const std::string& rtx_exe);

// Removes every shims entry from PATH, the `rtx` function and the completion.
std::string deactivate_script(Shell shell, const std::string& shims_dir);

// `text` as one single-quoted word of `shell`.
std::string shell_quote(Shell shell, const std::string& text);

}  // namespace rtx::shell
