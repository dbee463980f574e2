// rtx __parse-legacy-file TOOL -- SHIM ARGS… (DESIGN.md §4, docs/decisions.md
// "asdf legacy version files"): what a shim execs when the walk meets an asdf
// plugin's legacy file whose bin/parse-legacy-file answer is not cached. The
// shim runs no plugin script; this walks as the shim did, runs the script
// (timeout, one version or one error line), caches the answer, and execs the
// shim again with the answer in RTX_LEGACY_ANSWER, so that run needs neither
// the script nor a writable cache. A failure is one line and 126: nothing runs.
#include <unistd.h>

#include <cerrno>
#include <cstdlib>
#include <cstring>

#include "manager/backends/legacy_record.hpp"
#include "manager/cli/commands.hpp"

namespace rtx::cli {

int cmd_parse_legacy_file(Context& ctx, const std::string& tool, const std::vector<std::string>& command) {
  if (command.empty()) return fail("__parse-legacy-file: no command to run after '--'", 2);
  auto finder = ctx.finder();
  auto parse = backends::legacy_parser(ctx.layout, [](const std::string& line) { note(line); });
  resolver::LegacyAnswer answered;
  finder.on_legacy_parse([&](const resolver::LegacyAnswer& key) -> Expected<std::string> {
    auto version = parse(key);
    if (version) {
      answered = key;
      answered.version = *version;
    }
    return version;
  });
  auto request = finder.find(tool);  // the script's stdout is captured, never the command's
  if (!request) return fail(request.error(), kExitCannotRun);

  // Set even when nothing was parsed (the file went away, or another answer
  // was cached meanwhile): the shim walks again once, and a second miss there
  // is an error, never another hand-over.
  std::string line;
  if (!answered.version.empty()) {
    line = resolver::format_legacy_answer(answered);
    if (line.empty())
      return fail(answered.path + ": its path holds a control character, which rtx cannot hand to the shim: " +
                      "rename the folder or set " + resolver::version_env_var(tool),
                  kExitCannotRun);
  }
  ::setenv("RTX_LEGACY_ANSWER", line.c_str(), 1);
  std::vector<char*> argv;
  for (const auto& a : command) argv.push_back(const_cast<char*>(a.c_str()));
  argv.push_back(nullptr);
  ::execv(argv[0], argv.data());
  return fail("cannot run " + command[0] + " after reading " + tool + "'s legacy file: " + std::strerror(errno) +
                  ": run 'rtx reshim'",
              kExitCannotRun);
}

}  // namespace rtx::cli
