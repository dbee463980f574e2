#include "manager/shell/activation.hpp"

namespace rtx::shell {
namespace {

// bash and zsh alike: every ":<shims>:" of ":$PATH:" removed; quoted patterns
// match literally, whatever the path holds (`*`, `?`, `[`).
std::string posix_remove(const std::string& quoted) {
  return "__rtx_shims=" + quoted +
         "\n"
         "__rtx_path=\":${PATH}:\"\n"
         "while [[ \"$__rtx_path\" == *\":${__rtx_shims}:\"* ]]; do\n"
         "  __rtx_path=\"${__rtx_path//\":${__rtx_shims}:\"/:}\"\n"
         "done\n"
         "__rtx_path=\"${__rtx_path#:}\"\n"
         "__rtx_path=\"${__rtx_path%:}\"\n";
}

std::string fish_remove(const std::string& quoted) {
  return "set -l __rtx_shims " + quoted +
         "\n"
         "set -l __rtx_path\n"
         "for __rtx_dir in $PATH\n"
         "    test \"$__rtx_dir\" = \"$__rtx_shims\"; or set -a __rtx_path $__rtx_dir\n"
         "end\n";
}

// The not-found hook (activation.hpp). bash names it
// command_not_found_handle, zsh command_not_found_handler; both run it in a
// subshell, so the command's status is the hook's. A hook the shell already
// had (Debian's command-not-found) is kept as __rtx_prev_not_found, once: a
// hook whose text names __rtx_exe is ours, never saved as the one to fall to.
std::string posix_not_found(Shell shell) {
  bool bash = shell == Shell::Bash;
  std::string hook = bash ? "command_not_found_handle" : "command_not_found_handler";
  std::string has_prev =
      bash ? "declare -F __rtx_prev_not_found > /dev/null" : "(( ${+functions[__rtx_prev_not_found]} ))";
  std::string message =
      bash ? "printf 'bash: %s: command not found\\n' \"$1\" >&2" : "printf 'zsh: command not found: %s\\n' \"$1\" >&2";
  return "__rtx_prev=$(declare -f " + hook +
         " 2> /dev/null)\n"
         "if [ -n \"$__rtx_prev\" ] && [[ \"$__rtx_prev\" != *__rtx_exe* ]]; then\n"
         "  eval \"__rtx_prev_not_found${__rtx_prev#" +
         hook +
         "}\"\n"
         "fi\n"
         "unset __rtx_prev\n" +
         hook +
         "() {\n"
         "  if [ \"$1\" != rtx ] && [ -x \"${__rtx_exe-}\" ]; then\n"
         "    command \"$__rtx_exe\" __not-found \"$1\"\n"
         "    case $? in\n"
         "      0) \"$@\"; return ;;    # installed: run it, now through its shim\n"
         "      127) ;;                # not a configured tool's command\n"
         "      *) return 127 ;;       # rtx said why it did not install\n"
         "    esac\n"
         "  fi\n"
         "  if " +
         has_prev +
         "; then\n"
         "    __rtx_prev_not_found \"$@\"\n"
         "  else\n"
         "    " +
         message +
         "\n"
         "    return 127\n"
         "  fi\n"
         "}\n";
}

std::string posix_remove_not_found(Shell shell) {
  std::string hook = shell == Shell::Bash ? "command_not_found_handle" : "command_not_found_handler";
  return "__rtx_prev=$(declare -f " + hook +
         " 2> /dev/null)\n"
         "if [[ \"$__rtx_prev\" == *__rtx_exe* ]]; then\n"
         "  unset -f " +
         hook +
         "\n"
         "  __rtx_prev=$(declare -f __rtx_prev_not_found 2> /dev/null)\n"
         "  if [ -n \"$__rtx_prev\" ]; then eval \"" +
         hook +
         "${__rtx_prev#__rtx_prev_not_found}\"; fi\n"
         "  unset -f __rtx_prev_not_found\n"
         "fi\n"
         "unset __rtx_prev\n";
}

// fish calls fish_command_not_found with the command line but without its
// pipes and redirections, and sets $status to 127 whatever it returns: so the
// command is not run again here (it would write to the wrong place), the user
// is told to. `functions -q` autoloads fish's own hook first, so that is the
// one kept.
const char* kFishNotFound =
    "if functions -q fish_command_not_found; and not functions -q __rtx_prev_not_found\n"
    "    and not string match -q '*__rtx_exe*' -- (functions fish_command_not_found | string collect)\n"
    "    functions -c fish_command_not_found __rtx_prev_not_found\n"
    "end\n"
    "function fish_command_not_found\n"
    "    if test \"$argv[1]\" != rtx; and test -x \"$__rtx_exe\"\n"
    "        command $__rtx_exe __not-found $argv[1]\n"
    "        switch $status\n"
    "            case 0  # installed: it has a shim now\n"
    "                printf 'rtx: installed what provides %s: run it again\\n' $argv[1] >&2\n"
    "                return 127\n"
    "            case 127  # not a configured tool's command\n"
    "            case '*'  # rtx said why it did not install\n"
    "                return 127\n"
    "        end\n"
    "    end\n"
    "    if functions -q __rtx_prev_not_found\n"
    "        __rtx_prev_not_found $argv\n"
    "    else\n"
    "        printf 'fish: Unknown command: %s\\n' $argv[1] >&2\n"
    "    end\n"
    "end\n";

const char* kFishRemoveNotFound =
    "if string match -q '*__rtx_exe*' -- (functions fish_command_not_found | string collect)\n"
    "    functions -e fish_command_not_found\n"
    "    if functions -q __rtx_prev_not_found\n"
    "        functions -c __rtx_prev_not_found fish_command_not_found\n"
    "        functions -e __rtx_prev_not_found\n"
    "    end\n"
    "end\n";

}  // namespace

std::string shell_quote(Shell shell, const std::string& text) {
  std::string out = "'";
  for (char c : text) {
    if (c == '\'')
      out += shell == Shell::Fish ? "\\'" : "'\\''";
    else if (c == '\\' && shell == Shell::Fish)
      out += "\\\\";
    else
      out += c;
  }
  return out + "'";
}

std::string activate_script(Shell shell, const std::string& shims_dir, const std::string& rtx_exe) {
  std::string quoted = shell_quote(shell, shims_dir);
  std::string exe = shell_quote(shell, rtx_exe);
  if (shell == Shell::Fish)
    return "# rtx activate fish: rtx's shims first on PATH, once, completions, and a\n"
           "# command-not-found hook that installs a configured tool's missing command.\n"
           "# Nothing runs per prompt (the shims resolve versions). Undo: rtx deactivate\n" +
           fish_remove(quoted) +
           "set -gx PATH $__rtx_shims $__rtx_path\n"
           "set -g __rtx_exe " +
           exe +
           "\n"
           "function rtx --description 'rtx (activated: rtx deactivate undoes it)'\n"
           "    if test \"$argv[1]\" = deactivate\n"
           "        command $__rtx_exe deactivate fish | source\n"
           "    else\n"
           "        command $__rtx_exe $argv\n"
           "    end\n"
           "end\n" +
           kFishNotFound + completion_script(shell);
  std::string name = shell == Shell::Bash ? "bash" : "zsh";
  return "# rtx activate " + name +
         ": rtx's shims first on PATH, once, completions, and a\n"
         "# command-not-found hook that installs a configured tool's missing command.\n"
         "# Nothing runs per prompt (the shims resolve versions). Undo: rtx deactivate\n" +
         posix_remove(quoted) +
         "export PATH=\"${__rtx_shims}${__rtx_path:+:${__rtx_path}}\"\n"
         "unset __rtx_path __rtx_shims\n"
         "__rtx_exe=" +
         exe +
         "\n"
         "rtx() {\n"
         "  if [ \"${1-}\" = deactivate ]; then\n"
         "    eval \"$(command \"$__rtx_exe\" deactivate " +
         name +
         ")\"\n"
         "  else\n"
         "    command \"$__rtx_exe\" \"$@\"\n"
         "  fi\n"
         "}\n" +
         posix_not_found(shell) + completion_script(shell);
}

std::string deactivate_script(Shell shell, const std::string& shims_dir) {
  std::string quoted = shell_quote(shell, shims_dir);
  if (shell == Shell::Fish)
    return fish_remove(quoted) + kFishRemoveNotFound +
           "set -gx PATH $__rtx_path\n"
           "set -e __rtx_exe\n"
           "functions -e rtx __rtx_complete\n"
           "complete -e -c rtx\n";
  return posix_remove(quoted) + posix_remove_not_found(shell) +
         "export PATH=\"${__rtx_path}\"\n"
         "unset __rtx_path __rtx_shims __rtx_exe\n"
         "unset -f rtx _rtx_complete 2> /dev/null\n" +
         (shell == Shell::Bash ? "complete -r rtx 2> /dev/null\n"
                               : "if (( $+functions[compdef] )); then compdef -d rtx; fi\n");
}

std::string rc_line(Shell shell, const std::string& rtx_exe) {
  std::string exe = shell_quote(shell, rtx_exe);
  switch (shell) {
    case Shell::Fish:
      return exe + " activate fish | source  # ~/.config/fish/config.fish";
    case Shell::Zsh:
      return "eval \"$(" + exe + " activate zsh)\"  # ~/.zshrc";
    case Shell::Bash:
      break;
  }
  return "eval \"$(" + exe + " activate bash)\"  # ~/.bashrc";
}

}  // namespace rtx::shell
