// Shell completion (issue 9 item 3). The shells' scripts are thin: on TAB they
// run `rtx __complete -- WORD…` (the words after "rtx", the last one the word
// being completed) and show what it prints. The logic is here, once, over the
// CLI's own description (cli_model.hpp), so it cannot drift from the parser.
// Tool names, installed versions and commands come from the local store and
// the compiled-in registry; remote versions (after "tool@" for install, use,
// exec and latest, and ls-remote's prefix) from WordSource::remote, which the
// CLI answers from a short-lived cache within a deadline
// (manager/backends/remote_versions_refresh.hpp). It is asked only there.
#pragma once

#include <functional>
#include <string>
#include <string_view>
#include <vector>

#include "manager/shell/cli_model.hpp"

namespace rtx::shell {

enum class Shell { Bash, Zsh, Fish };

// "bash", "zsh", "fish"; false for anything else.
bool parse_shell(std::string_view name, Shell& shell);

// Where completions get the words that depend on the machine.
struct WordSource {
  std::function<std::vector<std::string>()> tools;                            // installed, plugins, registry
  std::function<std::vector<std::string>()> installed;                        // tool@version
  std::function<std::vector<std::string>()> commands;                         // what shims/ provides
  std::function<std::vector<std::string>(const std::string& tool)> versions;  // installed, newest first
  std::function<std::vector<std::string>(const std::string& tool)> remote;    // any order; may be unset
};

struct Completion {
  bool files = false;              // complete file names instead
  bool ordered = false;            // versions, newest first: shown in this order, not sorted by the shell
  std::vector<std::string> words;  // each "word" or "word\tdescription"
};

// What may stand in place of the last of `words` (the words after "rtx"),
// starting with it.
Completion complete(const CliCommand& root, const std::vector<std::string>& words, const WordSource& source);

// `rtx completion SHELL`: the script that wires the shell's completion to
// `rtx __complete`, which prints one word a line, or "__files__" alone (let
// the shell complete file names), or "__ordered__" and then the words (bash
// and zsh keep their order; fish sorts them its own natural way, which puts
// versions in ascending order).
std::string completion_script(Shell shell);

}  // namespace rtx::shell
