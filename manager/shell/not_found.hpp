// What the activated shell's command-not-found hook asks rtx (`rtx
// __not-found CMD`, docs/decisions.md "Command not found → install"): on a
// machine where a configured tool was never installed there is no shim for
// its commands yet, so typing `node` reaches the shell's not-found hook, not
// a shim that could auto-install. These functions decide which of the tools
// configured here to install so that the command exists.
#pragma once

#include <functional>
#include <string_view>
#include <vector>

#include "resolver/request.hpp"

namespace rtx::shell {

// The commands `tool` is known to provide before any build of it is here:
// its own name (for "npm:@scope/pkg", "pkg"), and for core tools and the
// registry's common ones their usual companions (node: npm, npx, corepack;
// python: python3, pip, pip3, …; rust: cargo, rustc, …; go: gofmt).
std::vector<std::string_view> known_commands(std::string_view tool);

// Whether `tool` would provide `command` (one of known_commands).
bool would_provide(std::string_view tool, std::string_view command);

// The tools known to provide `command` whose name is not the command itself
// (npm → node): the ones to look up even when no config file names them
// (RTX_NODE_VERSION alone).
std::vector<std::string_view> providers_of(std::string_view command);

// Of `requests` (the tools configured here, each with the request that wins),
// those that would provide `command` and that `installed` says have no
// matching build, in the order given. A request whose first spec is `system`
// is never one: rtx does not install the system's command.
std::vector<resolver::Request> missing_providers(const std::vector<resolver::Request>& requests,
                                                 std::string_view command,
                                                 const std::function<bool(const resolver::Request&)>& installed);

}  // namespace rtx::shell
