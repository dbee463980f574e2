#include "manager/query/front_args.hpp"

namespace rtx::query {
namespace {

// "-v", "-vv", "-vvv"…: how many; 0 for anything else.
int front_v_count(const std::string& word) {
  if (word.size() < 2 || word[0] != '-') return 0;
  for (std::size_t i = 1; i < word.size(); ++i)
    if (word[i] != 'v') return 0;
  return int(word.size() - 1);
}

std::optional<FrontCommand> front_command(const std::string& word) {
  if (word == "current") return FrontCommand::current;
  if (word == "which") return FrontCommand::which;
  if (word == "ls") return FrontCommand::ls;
  if (word == "ps") return FrontCommand::ps;
  return std::nullopt;
}

}  // namespace

std::optional<FrontArgs> parse_front_args(const std::vector<std::string>& args) {
  FrontArgs out;
  if (args.size() == 1 && args[0] == "--version") return out;
  bool have_command = false;
  for (const auto& word : args) {
    if (int v = front_v_count(word); v > 0) {
      out.verbose += v;
    } else if (word == "--verbose") {
      ++out.verbose;
    } else if (word == "-q" || word == "--quiet") {
      if (out.quiet) return std::nullopt;  // a repeat: CLI11's answer, whatever it is
      out.quiet = true;
    } else if (word == "--offline") {
      if (out.offline) return std::nullopt;
      out.offline = true;
    } else if (!have_command) {
      auto command = front_command(word);
      if (!command) return std::nullopt;
      out.command = *command;
      have_command = true;
    } else if (word == "--json") {
      if (out.json || out.command == FrontCommand::which) return std::nullopt;
      out.json = true;
    } else if (word.empty() || word[0] == '-' || out.operand) {
      return std::nullopt;
    } else {
      out.operand = word;
    }
  }
  if (!have_command || (out.command == FrontCommand::which && !out.operand)) return std::nullopt;
  return out;
}

}  // namespace rtx::query
