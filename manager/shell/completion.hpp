// Shell completion (issue 9 item 3). The shells' scripts are thin: on TAB they
// run `rtx __complete -- WORD…` (the words after "rtx", the last one the word
// being completed) and show what it prints. The logic is here, once, over the
// CLI's own description (cli_model.hpp), so it cannot drift from the parser.
// Nothing here touches the network: tool names, installed versions and
// commands come from the local store and the compiled-in registry.
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
  std::function<std::vector<std::string>()> tools;      // installed, plugins, registry
  std::function<std::vector<std::string>()> installed;  // tool@version
  std::function<std::vector<std::string>()> commands;   // what shims/ provides
  std::function<std::vector<std::string>(const std::string& tool)> versions;
};

struct Completion {
  bool files = false;              // complete file names instead
  std::vector<std::string> words;  // each "word" or "word\tdescription"
};

// What may stand in place of the last of `words` (the words after "rtx"),
// starting with it.
Completion complete(const CliCommand& root, const std::vector<std::string>& words, const WordSource& source);

// `rtx completion SHELL`: the script that wires the shell's completion to
// `rtx __complete`.
std::string completion_script(Shell shell);

}  // namespace rtx::shell
