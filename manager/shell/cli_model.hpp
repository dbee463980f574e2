// The CLI as plain data: main.cpp (the one CLI11 unit) describes its parser in
// these structs, and the completion scripts and the man page are generated
// from them, so a command or flag is defined once.
#pragma once

#include <string>
#include <vector>

namespace rtx::shell {

// What a word in a given place can be, for completion.
enum class WordKind {
  None,           // free text (a URL, a prefix)
  Path,           // a file or directory
  Tool,           // a tool name: installed, a plugin, or one the registry knows
  ToolSpec,       // a tool, or tool@version of an installed build; after "tool@", remote versions too
  ToolPrefix,     // a tool; after "tool@", its installed and remote versions
  Installed,      // tool@version of an installed build
  Command,        // a command a shim provides
  Version,        // an installed version of the tool named before it
  RemoteVersion,  // a remote version of the tool named before it
};

struct CliOption {
  std::vector<std::string> names;  // "-f", "--force"
  std::string help;
  bool takes_value = false;
  WordKind value = WordKind::None;  // for an option that takes a value
};

struct CliPositional {
  std::string name;  // as the help shows it: "tool@spec"
  std::string help;
  bool required = false;
  bool many = false;
  WordKind kind = WordKind::None;
};

struct CliCommand {
  std::string name;
  std::string help;
  std::vector<CliOption> options;
  std::vector<CliPositional> positionals;
  std::vector<CliCommand> subcommands;
};

// The kind of word a positional or option value named `name` takes
// ("tool@spec", "tool", "dir", …).
WordKind word_kind(const std::string& name);

}  // namespace rtx::shell
