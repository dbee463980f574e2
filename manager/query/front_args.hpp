// The command lines the front (`rtx`, manager/query/front_main.cpp) answers
// itself: `--version` alone, and current, which, ls, ps with the flags they
// have (-v/-vv/--verbose, -q/--quiet, --offline anywhere, --json after
// current, ls, ps). Anything else, or any form this does not fully
// understand (--help, "--", "-qv", "--json=1", a second positional, an empty
// word), is nullopt: the front hands the very same argv to rtx-manager, whose
// CLI11 parser answers or refuses it as it always did.
#pragma once

#include <optional>
#include <string>
#include <vector>

namespace rtx::query {

enum class FrontCommand { version, current, which, ls, ps };

struct FrontArgs {
  FrontCommand command = FrontCommand::version;
  std::optional<std::string> operand;  // the tool (current, ls, ps) or the command (which)
  bool json = false;
  int verbose = 0;
  bool quiet = false;
  bool offline = false;
};

// args: argv[1..].
std::optional<FrontArgs> parse_front_args(const std::vector<std::string>& args);

}  // namespace rtx::query
