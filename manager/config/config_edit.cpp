#include "manager/config/config_edit.hpp"

#include "manager/config/atomic_replace.hpp"
#include "manager/util/fs.hpp"
#include "resolver/config_file.hpp"

namespace rtx::config {
namespace {

Expected<std::string> edit_text(const FileToEdit& file, const std::string& tool, const std::string& spec) {
  // The format follows the name the user gave (a link named .tool-versions).
  if (resolver::format_of(file.path) == resolver::ConfigFormat::ToolVersions)
    return set_in_tool_versions(file.text, file.path, tool, spec);
  return set_in_toml(file.text, file.path, tool, spec);
}

}  // namespace

std::string file_to_edit(const std::vector<std::string>& candidates, const std::string& fallback,
                         const std::string& tool) {
  for (const auto& path : candidates) {
    if (!util::exists(path)) continue;
    auto file = read_for_edit(path);
    if (!file || !file->exists) return path;
    auto parsed = resolver::parse_config(path, file->text, resolver::format_of(path));
    if (!parsed || parsed->find(tool)) return path;
  }
  return fallback;
}

Expected<PlannedEdit> plan_tool_spec(const std::string& path, const std::string& tool, const std::string& spec) {
  auto file = read_for_edit(path);
  if (!file) return Error{file.error()};
  if (auto st = check_writable(*file); !st) return Error{st.error()};
  auto edited = edit_text(*file, tool, spec);
  if (!edited) return Error{edited.error()};
  return PlannedEdit{std::move(*file), std::move(*edited)};
}

Expected<PlannedEdit> plan_spec_bump(const std::string& path, const std::string& tool, const SpecBump& bump) {
  auto file = read_for_edit(path);
  if (!file) return Error{file.error()};
  if (!file->exists) return make_error(path + " is gone: run 'rtx upgrade --bump' again; nothing was changed");
  if (auto st = check_writable(*file); !st) return Error{st.error()};
  auto edited = resolver::format_of(file->path) == resolver::ConfigFormat::ToolVersions
                    ? bump_in_tool_versions(file->text, file->path, tool, bump)
                    : bump_in_toml(file->text, file->path, tool, bump);
  if (!edited) return Error{edited.error()};
  return PlannedEdit{std::move(*file), std::move(*edited)};
}

Status commit(const PlannedEdit& edit) {
  if (edit.file.exists && edit.new_text == edit.file.text) return ok_status();  // already says so: no new inode
  return replace_contents(edit.file, edit.new_text);
}

Status set_tool_spec(const std::string& path, const std::string& tool, const std::string& spec) {
  auto edit = plan_tool_spec(path, tool, spec);
  if (!edit) return Error{edit.error()};
  return commit(*edit);
}

}  // namespace rtx::config
