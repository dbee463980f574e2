// rtx __auto-install TOOL SPEC -- SHIM ARGS… (DESIGN.md §4 "auto-install"):
// what a shim execs when the version a config asks for is missing. Installs
// it as `rtx install TOOL@SPEC` would (under the install lock, so two shims
// missing the same version build it once), with every line on stderr so the
// command's own stdout stays clean, then execs the shim again, which runs the
// new build pinned. A failed install is its error line and 127; nothing else
// runs.
//
// rtx __not-found COMMAND: what the activated shell's not-found hook runs
// (manager/shell/activation.cpp) when COMMAND has no shim yet, because the
// tool configured here that provides it was never installed on this machine.
// Installs such tools the same way, then the hook runs the command again.
#include <unistd.h>

#include <cerrno>
#include <cstdio>
#include <cstdlib>
#include <cstring>

#include "manager/cli/commands.hpp"
#include "manager/shell/not_found.hpp"
#include "resolver/config_file.hpp"
#include "resolver/config_read.hpp"
#include "resolver/file_io.hpp"
#include "resolver/shim_index.hpp"

namespace rtx::cli {
namespace {

// Installs what `spec` selects, as `rtx install TOOL@SPEC`, with stdout
// pointed at stderr meanwhile: a plugin's chatter must not reach the reader of
// the command that runs next.
Expected<std::string> install_on_stderr(const Context& ctx, const std::string& tool,
                                        const resolver::VersionSpec& spec) {
  std::fflush(stdout);
  int saved_stdout = ::dup(STDOUT_FILENO);
  ::dup2(STDERR_FILENO, STDOUT_FILENO);
  note("auto-installing " + tool + "@" + spec.text + " (RTX_AUTO_INSTALL=0 turns this off)");
  auto installed = ensure_installed(ctx, tool, spec, false);
  std::fflush(stdout);
  if (saved_stdout >= 0) {
    ::dup2(saved_stdout, STDOUT_FILENO);
    ::close(saved_stdout);
  }
  return installed;
}

bool auto_install_on(const Context& ctx) {
  resolver::ConfigRead global = resolver::read_config(ctx.roots.config + "/config.toml", {});
  return resolver::auto_install_enabled(global.access == resolver::ConfigAccess::Read ? global.text : std::string());
}

// The tools configured here, each with its winning request: those the config
// files name, plus the known providers of `command` that only a variable
// (RTX_NODE_VERSION) or nothing names.
Expected<std::vector<resolver::Request>> configured_here(const Context& ctx, const std::string& command) {
  auto finder = ctx.finder();
  auto requests = finder.all();
  if (!requests) return requests;
  std::vector<std::string> extra{command};
  for (auto tool : shell::providers_of(command)) extra.emplace_back(tool);
  for (const auto& tool : extra) {
    bool listed = false;
    for (const auto& r : *requests) listed = listed || r.tool == tool;
    if (listed || !resolver::validate_tool_name(tool).ok()) continue;  // "a b", "..": no such tool
    auto request = finder.find(tool);
    if (!request) return Error{request.error()};
    if (!request->tool.empty()) requests->push_back(std::move(*request));
  }
  return requests;
}

}  // namespace

int cmd_auto_install(Context& ctx, const std::string& tool, const std::string& spec_text,
                     const std::vector<std::string>& command) {
  if (command.empty()) return fail("__auto-install: no command to run after '--'", 2);
  auto spec = resolver::parse_spec(spec_text);
  if (!spec) return fail(spec.error(), kExitNotInstalled);

  auto installed = install_on_stderr(ctx, tool, *spec);
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

// Exit 0: installed, and COMMAND has a shim now (the hook runs it again).
// 127: nothing configured here provides it (the hook falls back to the
// shell's own "command not found"). 1: a configured tool provides it but was
// not installed (auto-install off, or the install failed), said in one line.
int cmd_not_found(Context& ctx, const std::string& command) {
  if (command.empty() || command.find('/') != std::string::npos || command == "rtx" || command == "rtx-shim")
    return kExitNotInstalled;  // a path never reaches a shim; rtx is never a tool's command
  auto requests = configured_here(ctx, command);
  if (!requests) {  // rtx cannot tell: say why, and let the shell say "not found"
    note(requests.error());
    return kExitNotInstalled;
  }
  auto missing = shell::missing_providers(
      *requests, command, [&](const resolver::Request& r) { return installed_match(ctx, r).has_value(); });
  if (missing.empty()) return kExitNotInstalled;

  if (!auto_install_on(ctx)) {
    const resolver::Request& r = missing.front();
    return fail(r.tool + " " + r.joined() + " (" + r.source + ") provides '" + command +
                "' but is not installed, and auto-install is off (RTX_AUTO_INSTALL=0 or auto_install = false): "
                "run 'rtx install'");
  }
  for (const auto& r : missing) {
    auto installed = install_on_stderr(ctx, r.tool, r.specs.front());
    if (!installed) return fail(installed.error() + " (" + r.tool + " " + r.joined() + " from " + r.source + ")");
  }
  std::string index;
  if (resolver::read_file(ctx.layout.shim_index(), index) != 0 || resolver::tools_for_command(index, command).empty()) {
    note("installed " + missing.front().tool + ", which has no '" + command + "' command");
    return kExitNotInstalled;
  }
  return kExitOk;
}

}  // namespace rtx::cli
