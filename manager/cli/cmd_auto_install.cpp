// rtx __auto-install TOOL SPEC -- SHIM ARGS… (DESIGN.md §4 "auto-install"):
// what a shim execs when the version a config asks for is missing. Installs
// it as `rtx install TOOL@SPEC` would (under the install lock, so two shims
// missing the same version build it once), with every line on stderr so the
// command's own stdout stays clean, then execs the shim again, which runs the
// new build pinned. A failed install is its error line and 127; nothing else
// runs.
#include <unistd.h>

#include <cerrno>
#include <cstdio>
#include <cstdlib>
#include <cstring>

#include "manager/cli/commands.hpp"

namespace rtx::cli {

int cmd_auto_install(Context& ctx, const std::string& tool, const std::string& spec_text,
                     const std::vector<std::string>& command) {
  if (command.empty()) return fail("__auto-install: no command to run after '--'", 2);
  auto spec = resolver::parse_spec(spec_text);
  if (!spec) return fail(spec.error(), kExitNotInstalled);

  std::fflush(stdout);
  int saved_stdout = ::dup(STDOUT_FILENO);
  ::dup2(STDERR_FILENO, STDOUT_FILENO);  // a plugin's chatter must not reach the command's reader
  note("auto-installing " + tool + "@" + spec_text + " (RTX_AUTO_INSTALL=0 turns this off)");
  auto installed = ensure_installed(ctx, tool, *spec, false);
  std::fflush(stdout);
  if (saved_stdout >= 0) {
    ::dup2(saved_stdout, STDOUT_FILENO);
    ::close(saved_stdout);
  }
  if (!installed) return fail(installed.error(), kExitNotInstalled);

  ::setenv("RTX_AUTO_INSTALLED", tool.c_str(), 1);  // the shim's next run must not come back here
  std::vector<char*> argv;
  for (const auto& a : command) argv.push_back(const_cast<char*>(a.c_str()));
  argv.push_back(nullptr);
  ::execv(argv[0], argv.data());
  return fail("cannot run " + command[0] + " after installing " + tool + " " + *installed + ": " +
                  std::strerror(errno) + ": run 'rtx reshim'",
              kExitCannotRun);
}

}  // namespace rtx::cli
