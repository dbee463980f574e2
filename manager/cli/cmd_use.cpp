// rtx use [--global] [--pin|--fuzzy] tool@spec…: installs what each spec
// selects, then records the spec (as typed, as mise; --pin: the exact version
// installed; --fuzzy: its major) in the config that names the tool, changing
// only its version's bytes (config/config_edit.hpp, DESIGN.md §10).
#include <string_view>
#include <vector>

#include "manager/cli/commands.hpp"
#include "manager/cli/lock_session.hpp"
#include "manager/config/config_edit.hpp"
#include "manager/config/spec_rewrite.hpp"
#include "manager/util/fs.hpp"

namespace rtx::cli {
namespace {

// The file `rtx use` edits (DESIGN.md §10): the one of this directory's configs
// (or the global ones) that already names the tool, in the precedence order
// of DESIGN.md §4; else an existing TOML config of this directory, else a new
// rtx.toml (or the global config.toml).
std::string target_file(const Context& ctx, const std::string& tool, bool global) {
  if (global) {
    std::string config_toml = ctx.roots.config + "/config.toml";
    std::vector<std::string> candidates{config_toml};
    if (!ctx.roots.home.empty()) candidates.push_back(ctx.roots.home + "/.tool-versions");
    return config::file_to_edit(candidates, config_toml, tool);
  }
  std::vector<std::string> candidates;
  std::string fallback;
  for (const char* name : {".rtx.toml", "rtx.toml", ".mise.toml", "mise.toml", ".tool-versions"}) {
    std::string p = ctx.cwd + "/" + name;
    candidates.push_back(p);
    if (fallback.empty() && name != std::string_view(".tool-versions") && util::exists(p)) fallback = p;
  }
  return config::file_to_edit(candidates, fallback.empty() ? ctx.cwd + "/rtx.toml" : fallback, tool);
}

}  // namespace

int cmd_use(Context& ctx, const std::vector<std::string>& tool_specs, bool global, bool pin, bool fuzzy) {
  if (pin && fuzzy)
    return fail(
        "--pin and --fuzzy contradict each other: --pin writes the exact version (20.11.1), --fuzzy its "
        "major (20); give one of them",
        2);
  const config::SpecStyle style = pin     ? config::SpecStyle::Pin
                                  : fuzzy ? config::SpecStyle::Fuzzy
                                          : config::SpecStyle::AsTyped;
  // Every argument is checked before anything is installed or edited.
  std::vector<std::pair<ToolSpec, std::string>> wanted;
  for (const auto& text : tool_specs) {
    auto ts = parse_tool_spec(text);
    if (!ts) return fail(ts.error());
    std::string spec_text = ts->spec.value_or("latest");
    if (auto spec = resolver::parse_spec(spec_text); !spec) return fail(spec.error());
    wanted.emplace_back(std::move(*ts), std::move(spec_text));
  }
  auto mode = lock_mode(ctx, false);
  if (!mode) return fail(mode.error());
  LockSession locks(ctx, *mode);
  // Then one tool at a time: a file rtx must not edit is refused before that
  // tool is installed; each edit reads the file as the previous one left it.
  for (const auto& [ts, spec_text] : wanted) {
    std::string path = target_file(ctx, ts.tool, global);
    auto edit = config::plan_tool_spec(path, ts.tool, spec_text);
    if (!edit) return fail(edit.error());
    const resolver::VersionSpec spec = *resolver::parse_spec(spec_text);
    // The lock beside the file keeps a spec it already has (locked: must have).
    auto choice = locks.choose(resolver::Request{ts.tool, {spec}, path, 0}, spec);
    if (!choice) return fail(choice.error());
    auto installed = ensure_installed(ctx, ts.tool, spec, false, *choice ? &**choice : nullptr);
    if (!installed) return fail(installed.error());
    // --pin/--fuzzy: the spec depends on what was installed; the file is planned
    // again with it (the refusals above already held for this file).
    std::string written = config::spec_to_write(spec_text, *installed, style);
    if (written != spec_text) edit = config::plan_tool_spec(path, ts.tool, written);
    if (!edit) return fail(edit.error());
    if (auto st = config::commit(*edit); !st) return fail(st.error());
    note("set " + ts.tool + " = \"" + written + "\" in " + path + " (" + *installed + ")");
    const resolver::VersionSpec spec_written = *resolver::parse_spec(written);
    locks.record(resolver::Request{ts.tool, {spec_written}, path, 0}, spec_written, *installed);
  }
  if (auto st = locks.flush(); !st) return fail(st.error());
  return kExitOk;
}

}  // namespace rtx::cli
