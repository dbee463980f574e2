#include "resolver/config_toml.hpp"

#include "resolver/toml.hpp"
#include "resolver/toml_guard.hpp"
#include "resolver/version_spec.hpp"

namespace rtx::resolver {
namespace {

std::string at(const std::string& path, const toml::source_region& where) {
  return path + ":" + std::to_string(where.begin.line) + ": ";
}

Status add_spec(const std::string& path, const toml::node& node, const std::string& tool, ToolEntry& entry) {
  const auto* s = node.as_string();
  if (!s)
    return make_error(at(path, node.source()) + "the version of '" + tool + "' must be a string: write " + tool +
                      " = \"1.2.3\"");
  if (auto spec = parse_spec(s->get()); !spec) return make_error(at(path, node.source()) + spec.error());
  entry.specs.push_back(s->get());
  return ok_status();
}

}  // namespace

Expected<ConfigFile> parse_toml_config(std::string path, std::string_view text) {
  ConfigFile file{std::move(path), {}};
  if (std::string bad = toml_text_problem(text, file.path); !bad.empty()) return make_error(bad);
  toml::parse_result parsed = toml::parse(text, file.path);
  if (!parsed) {
    const auto& err = parsed.error();
    return make_error(at(file.path, err.source()) + "invalid TOML: " + std::string(err.description()));
  }
  const toml::table& root = parsed.table();
  const toml::node* tools_node = root.get("tools");
  if (!tools_node) return file;
  const toml::table* tools = tools_node->as_table();
  if (!tools) return make_error(at(file.path, tools_node->source()) + "'tools' must be a table: write [tools]");

  for (const auto& [key, value] : *tools) {
    std::string tool(key.str());
    int line = int(value.source().begin.line);
    if (auto st = validate_tool_name(tool); !st) return make_error(at(file.path, value.source()) + st.error());
    ToolEntry entry{tool, {}, line};
    if (value.is_string()) {
      if (auto st = add_spec(file.path, value, tool, entry); !st) return Error{st.error()};
    } else if (const auto* arr = value.as_array()) {
      for (const auto& item : *arr)
        if (auto st = add_spec(file.path, item, tool, entry); !st) return Error{st.error()};
    } else if (const auto* table = value.as_table()) {
      const toml::node* version = table->get("version");
      if (!version)
        return make_error(at(file.path, value.source()) + "the table for '" + tool + "' has no 'version': write " +
                          tool + " = { version = \"1.2.3\" }");
      if (auto st = add_spec(file.path, *version, tool, entry); !st) return Error{st.error()};
    } else {
      return make_error(at(file.path, value.source()) + "the version of '" + tool +
                        "' must be a string, an array of strings or a table with 'version': write " + tool +
                        " = \"1.2.3\"");
    }
    if (entry.specs.empty())
      return make_error(at(file.path, value.source()) + "'" + tool + "' lists no version: write " + tool +
                        " = [\"1.2.3\"]");
    file.tools.push_back(std::move(entry));
  }
  return file;
}

}  // namespace rtx::resolver
