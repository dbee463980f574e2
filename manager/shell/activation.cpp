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
    return "# rtx activate fish: rtx's shims first on PATH, once, and completions.\n"
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
           completion_script(shell);
  std::string name = shell == Shell::Bash ? "bash" : "zsh";
  return "# rtx activate " + name +
         ": rtx's shims first on PATH, once, and completions.\n"
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
         completion_script(shell);
}

std::string deactivate_script(Shell shell, const std::string& shims_dir) {
  std::string quoted = shell_quote(shell, shims_dir);
  if (shell == Shell::Fish)
    return fish_remove(quoted) +
           "set -gx PATH $__rtx_path\n"
           "set -e __rtx_exe\n"
           "functions -e rtx __rtx_complete\n"
           "complete -e -c rtx\n";
  return posix_remove(quoted) +
         "export PATH=\"${__rtx_path}\"\n"
         "unset __rtx_path __rtx_shims __rtx_exe\n"
         "unset -f rtx _rtx_complete 2> /dev/null\n" +
         (shell == Shell::Bash ? "complete -r rtx 2> /dev/null\n"
                               : "if (( $+functions[compdef] )); then compdef -d rtx; fi\n");
}

}  // namespace rtx::shell
