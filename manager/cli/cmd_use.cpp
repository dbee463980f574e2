// rtx use [--global] tool@spec: installs what the spec selects, then records
// the spec in the config that names the tool, changing only its version's
// bytes (config/config_edit.hpp, DESIGN.md §10).
#include <string_view>
#include <vector>

#include "manager/cli/commands.hpp"
#include "manager/config/config_edit.hpp"
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

int cmd_use(Context& ctx, const std::string& tool_spec, bool global) {
  auto ts = parse_tool_spec(tool_spec);
  if (!ts) return fail(ts.error());
  std::string spec_text = ts->spec.value_or("latest");
  auto spec = resolver::parse_spec(spec_text);
  if (!spec) return fail(spec.error());
  // A file rtx must not edit is refused before anything is installed.
  std::string path = target_file(ctx, ts->tool, global);
  auto edit = config::plan_tool_spec(path, ts->tool, spec_text);
  if (!edit) return fail(edit.error());
  auto installed = ensure_installed(ctx, ts->tool, *spec, false);
  if (!installed) return fail(installed.error());
  if (auto st = config::commit(*edit); !st) return fail(st.error());
  note("set " + ts->tool + " = \"" + spec_text + "\" in " + path + " (" + *installed + ")");
  return kExitOk;
}

}  // namespace rtx::cli
