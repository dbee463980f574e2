// Edits of the user's config files (DESIGN.md §10): `rtx use` changes the one
// value it must and keeps every other byte — comments, blank lines, key order,
// quoting, `[env]`, `[tasks]`, `[settings]` — of the file that already names
// the tool. toml++ parses and checks the text before and after; it never
// writes it.
//
//   std::string path = config::file_to_edit({cwd + "/rtx.toml", cwd + "/.tool-versions"},
//                                           cwd + "/rtx.toml", "node");
//   auto edit = config::plan_tool_spec(path, "node", "20");  // refusals come here, before any work
//   if (!edit) return fail(edit.error());
//   ...install node 20...
//   if (auto st = config::commit(*edit); !st) return fail(st.error());
//
// Every error is one line ready to print (what, which file, how to fix), and a
// refused edit leaves the file as it was.
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "manager/config/atomic_replace.hpp"
#include "resolver/expected.hpp"

namespace rtx::config {

// The new text of a TOML config whose `[tools]` names `tool` with `spec`:
// only the version's bytes change (the quote style kept; a new key is
// `tool = "spec"`, appended to `[tools]`, or a new `[tools]` at the end).
// `path` only names the file in errors. Refused: text that is not TOML, and
// shapes this editor cannot change without touching other bytes.
Expected<std::string> set_in_toml(std::string_view text, const std::string& path, const std::string& tool,
                                  const std::string& spec);

// The same for a `.tool-versions`: the tool's line keeps its leading text,
// separators, trailing `# comment` and line end; a new tool is a new last line.
// A UTF-8 BOM and CRLF line ends are kept.
Expected<std::string> set_in_tool_versions(std::string_view text, const std::string& path, const std::string& tool,
                                           const std::string& spec);

// `rtx upgrade --bump`: spec number `index` of a tool (0: the string, the first
// element of its array or of its .tool-versions line), which must still read
// `from`, becomes `to`.
struct SpecBump {
  std::size_t index = 0;
  std::string from;
  std::string to;
};

// The text with that one spec changed: its quote style kept, the other elements
// of an array and every other byte as they were. Refused when the file no
// longer asks for `from` there, or the edit would change anything else.
Expected<std::string> bump_in_toml(std::string_view text, const std::string& path, const std::string& tool,
                                   const SpecBump& bump);
Expected<std::string> bump_in_tool_versions(std::string_view text, const std::string& path, const std::string& tool,
                                            const SpecBump& bump);

// Which file `rtx use` edits: the first of `candidates` (in precedence order,
// DESIGN.md §4) that names `tool`, else `fallback`. A candidate that exists but
// cannot be read or parsed is returned as it is: the edit then refuses it with
// its error, rather than writing a file that it would shadow.
std::string file_to_edit(const std::vector<std::string>& candidates, const std::string& fallback,
                         const std::string& tool);

// Reads `path`, edits it as above (format from its name), checks the result and
// writes it in place (a symlink is edited at its target; mode, owner and group
// kept; temp file in the same directory, fsync, rename(2), fsync of the
// directory). A missing file is created. A file with no write permission —
// for this user, or in its mode bits at all, which also holds for root — is
// refused and left unchanged.
Status set_tool_spec(const std::string& path, const std::string& tool, const std::string& spec);

// set_tool_spec in two steps, so a command can refuse before doing any work.
struct PlannedEdit {
  FileToEdit file;
  std::string new_text;
};
Expected<PlannedEdit> plan_tool_spec(const std::string& path, const std::string& tool, const std::string& spec);
// The same for a bump (checks as plan_tool_spec; the file must exist).
Expected<PlannedEdit> plan_spec_bump(const std::string& path, const std::string& tool, const SpecBump& bump);
// Writes the planned text; refused if the file changed since it was planned.
Status commit(const PlannedEdit& edit);

}  // namespace rtx::config
