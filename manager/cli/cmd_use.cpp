// rtx use [--global] tool@spec: installs what the spec selects, then records
// the spec in rtx.toml (or the global config.toml) with toml++, keeping every
// other key of the file (comments are not kept: toml++ does not model them).
#include <sys/stat.h>

#include <cstring>
#include <sstream>

#include "manager/cli/commands.hpp"
#include "manager/store/atomic_file.hpp"
#include "manager/util/fs.hpp"
#include "resolver/file_io.hpp"
#include "resolver/toml.hpp"

namespace rtx::cli {
namespace {

// The TOML config `rtx use` writes: an existing one of this directory's, else rtx.toml.
std::string target_file(const Context& ctx, bool global) {
  if (global) return ctx.roots.config + "/config.toml";
  for (const char* name : {".rtx.toml", "rtx.toml", ".mise.toml", "mise.toml"}) {
    std::string p = ctx.cwd + "/" + name;
    if (util::exists(p)) return p;
  }
  return ctx.cwd + "/rtx.toml";
}

Status write_spec(const std::string& path, const std::string& tool, const std::string& spec) {
  std::string text;
  int err = resolver::read_file(path, text);
  if (err && err != ENOENT) return make_error("cannot read " + path + ": " + std::strerror(err));
  toml::parse_result parsed = toml::parse(text, path);
  if (!parsed)
    return make_error(path + ":" + std::to_string(parsed.error().source().begin.line) +
                      ": invalid TOML: " + std::string(parsed.error().description()) + ": fix the file first");
  toml::table root = std::move(parsed).table();
  toml::node* tools = root.get("tools");
  if (tools && !tools->is_table()) return make_error(path + ": 'tools' is not a table: fix the file first");
  if (!tools) root.insert("tools", toml::table{});
  root.get("tools")->as_table()->insert_or_assign(tool, spec);
  std::ostringstream out;
  out << root << "\n";
  if (auto st = util::make_dirs(util::parent_dir(path)); !st) return st;
  return store::write_file_atomic(path, out.str());
}

}  // namespace

int cmd_use(Context& ctx, const std::string& tool_spec, bool global) {
  auto ts = parse_tool_spec(tool_spec);
  if (!ts) return fail(ts.error());
  std::string spec_text = ts->spec.value_or("latest");
  auto spec = resolver::parse_spec(spec_text);
  if (!spec) return fail(spec.error());
  auto installed = ensure_installed(ctx, ts->tool, *spec, false);
  if (!installed) return fail(installed.error());
  std::string path = target_file(ctx, global);
  if (auto st = write_spec(path, ts->tool, spec_text); !st) return fail(st.error());
  note("set " + ts->tool + " = \"" + spec_text + "\" in " + path + " (" + *installed + ")");
  return kExitOk;
}

}  // namespace rtx::cli
