// The static front's command line (manager/query/front_args.cpp): what it
// answers itself instead of handing argv to rtx-manager. Input: argv[1..],
// one word per line. Never crashes; what it accepts is one of its five
// commands, with an operand only where one belongs and never empty, and the
// same words always get the same answer.
#include <string>
#include <vector>

#include "fuzz/fuzz_check.hpp"
#include "manager/query/front_args.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  std::vector<std::string> args;
  std::string_view text = rtx::fuzz::as_text(data, size);
  while (!text.empty()) {
    std::string_view word;
    rtx::fuzz::split_once(text, '\n', word, text);
    args.emplace_back(word);
  }
  using rtx::query::FrontCommand;
  auto parsed = rtx::query::parse_front_args(args);
  if (!parsed) return 0;
  FUZZ_CHECK(!args.empty());
  if (parsed->command == FrontCommand::version) FUZZ_CHECK(!parsed->operand && !parsed->json);
  if (parsed->command == FrontCommand::which) FUZZ_CHECK(parsed->operand && !parsed->json);
  if (parsed->operand) FUZZ_CHECK(!parsed->operand->empty());
  for (const auto& a : args) FUZZ_CHECK(!a.empty());  // an empty word goes to the manager
  auto again = rtx::query::parse_front_args(args);
  FUZZ_CHECK(again && again->command == parsed->command && again->operand == parsed->operand &&
             again->json == parsed->json && again->verbose == parsed->verbose && again->quiet == parsed->quiet &&
             again->offline == parsed->offline);
  return 0;
}
