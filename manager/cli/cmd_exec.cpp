// rtx exec tool@spec… -- CMD ARGS: the shim's resolution and pin (DESIGN.md §5)
// for several tools at once, their bin dirs first on PATH, then execvp.
#include <unistd.h>

#include <cerrno>
#include <cstdlib>
#include <cstring>

#include "manager/cli/commands.hpp"
#include "resolver/build_meta.hpp"
#include "resolver/handoff.hpp"

namespace rtx::cli {

int cmd_exec(Context& ctx, const std::vector<std::string>& tool_specs, const std::vector<std::string>& command) {
  if (command.empty()) return fail("nothing to run: rtx exec TOOL@VERSION -- COMMAND ARGS");
  auto finder = ctx.finder();
  std::vector<resolver::Request> requests;
  for (const auto& text : tool_specs) {
    auto ts = parse_tool_spec(text);
    if (!ts) return fail(ts.error());
    if (ts->spec) {
      auto r = request_from_cli(ts->tool, *ts->spec);
      if (!r) return fail(r.error());
      requests.push_back(std::move(*r));
      continue;
    }
    auto r = finder.find(ts->tool);
    if (!r) return fail(r.error(), kExitCannotRun);
    if (r->tool.empty())
      return fail("no version of " + ts->tool + " is configured for " + ctx.cwd + ": write " + ts->tool + "@VERSION",
                  kExitNotInstalled);
    requests.push_back(std::move(*r));
  }
  if (tool_specs.empty()) {
    auto all = finder.all();
    if (!all) return fail(all.error(), kExitCannotRun);
    requests = std::move(*all);
  }

  std::string path_prefix;
  for (const auto& req : requests) {
    resolver::Acquired build;
    bool found = resolver::acquire_build(ctx.layout, req, build);
    if (!build.warning.empty()) util::log_warn(build.warning.substr(5));
    if (!found)
      return fail(req.tool + " " + req.joined() + " (asked by " + req.source + ") is not installed: run 'rtx install " +
                      req.tool + "@" + req.specs.front().text + "'",
                  kExitNotInstalled);
    if (build.entry_path.empty()) continue;  // system: PATH already has it
    resolver::BuildMeta meta = resolver::load_build_meta(build.entry_path);
    for (const auto& [k, v] : meta.env) ::setenv(k.c_str(), v.c_str(), 1);
    for (const auto& p : meta.path_prepend) path_prefix += p + ":";
    for (const auto& d : meta.bin_dirs) path_prefix += build.entry_path + "/" + d + ":";
    resolver::hand_off_build(req, build);
  }
  const char* old_path = std::getenv("PATH");
  std::string path = path_prefix + (old_path ? old_path : "/usr/bin:/bin");
  ::setenv("PATH", path.c_str(), 1);

  std::vector<char*> argv;
  for (const auto& a : command) argv.push_back(const_cast<char*>(a.c_str()));
  argv.push_back(nullptr);
  ::execvp(argv[0], argv.data());
  int err = errno;
  return fail("cannot run " + command[0] + ": " + std::strerror(err) + ": check the command name",
              err == ENOENT ? kExitNotInstalled : kExitCannotRun);
}

}  // namespace rtx::cli
