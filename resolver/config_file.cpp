#include "resolver/config_file.hpp"

#include "resolver/config_toml.hpp"
#include "resolver/version_spec.hpp"

namespace rtx::resolver {
namespace {

bool is_space(char c) { return c == ' ' || c == '\t' || c == '\r' || c == '\v' || c == '\f'; }

std::string at(const std::string& path, int line) { return path + ":" + std::to_string(line) + ": "; }

// `tool v1 [v2 …]` per line; '#' starts a comment anywhere; BOM and CRLF tolerated.
Expected<ConfigFile> parse_tool_versions(std::string path, std::string_view text) {
  ConfigFile file{std::move(path), {}};
  if (text.substr(0, 3) == "\xEF\xBB\xBF") text.remove_prefix(3);
  int line_no = 0;
  while (!text.empty()) {
    ++line_no;
    std::size_t eol = text.find('\n');
    std::string_view line = text.substr(0, eol);
    text = eol == std::string_view::npos ? std::string_view{} : text.substr(eol + 1);
    if (std::size_t hash = line.find('#'); hash != std::string_view::npos) line = line.substr(0, hash);

    std::vector<std::string_view> words;
    std::size_t i = 0;
    while (i < line.size()) {
      while (i < line.size() && is_space(line[i])) ++i;
      std::size_t start = i;
      while (i < line.size() && !is_space(line[i])) ++i;
      if (i > start) words.push_back(line.substr(start, i - start));
    }
    if (words.empty()) continue;
    if (auto st = validate_tool_name(words[0]); !st) return make_error(at(file.path, line_no) + st.error());
    if (words.size() == 1)
      return make_error(at(file.path, line_no) + "tool '" + std::string(words[0]) + "' has no version: write '" +
                        std::string(words[0]) + " 1.2.3'");
    ToolEntry entry{std::string(words[0]), {}, line_no};
    for (std::size_t w = 1; w < words.size(); ++w) {
      if (auto spec = parse_spec(words[w]); !spec) return make_error(at(file.path, line_no) + spec.error());
      entry.specs.emplace_back(words[w]);
    }
    if (file.find(entry.tool)) continue;  // first line naming a tool wins, as in asdf
    file.tools.push_back(std::move(entry));
  }
  return file;
}

}  // namespace

const ToolEntry* ConfigFile::find(std::string_view tool) const {
  for (const auto& t : tools)
    if (t.tool == tool) return &t;
  return nullptr;
}

ConfigFormat format_of(std::string_view path) {
  std::string_view name = path.substr(path.rfind('/') + 1);
  return name == ".tool-versions" ? ConfigFormat::ToolVersions : ConfigFormat::Toml;
}

Expected<ConfigFile> parse_config(std::string path, std::string_view text, ConfigFormat format) {
  if (format == ConfigFormat::ToolVersions) return parse_tool_versions(std::move(path), text);
  return parse_toml_config(std::move(path), text);
}

Status validate_tool_name(std::string_view tool) {
  auto bad = [&](const char* why) {
    return make_error("tool name '" + std::string(tool.substr(0, 64)) + (tool.size() > 64 ? "…" : "") + "' " + why +
                      ": use letters, digits and -_. (like node), or a backend prefix (like npm:@scope/pkg)");
  };
  auto plain = [](char c) {
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '-' || c == '_' ||
           c == '.';
  };
  if (tool.empty()) return bad("is empty");
  if (tool.size() > 128) return bad("is longer than 128 bytes");
  if (tool.find("..") != std::string_view::npos) return bad("contains '..'");
  if (tool[0] == '.' || tool[0] == '-') return bad("starts with '.' or '-'");
  // A plain name is a folder under plugins/ and store/: no '/', no '@'. Only a
  // backend's package name (after "npm:") may have a scope and a '/'.
  std::size_t colon = tool.find(':');
  std::string_view name = colon == std::string_view::npos ? tool : tool.substr(colon + 1);
  for (char c : tool.substr(0, colon == std::string_view::npos ? tool.size() : colon))
    if (!plain(c)) return bad("contains a character that is not allowed");
  if (colon == std::string_view::npos) return ok_status();
  if (colon == 0 || name.empty()) return bad("has an empty backend or package name");
  if (name[0] == '/' || name.back() == '/' || name.find("//") != std::string_view::npos || name[0] == '.')
    return bad("has an empty path component");
  for (char c : name)
    if (!plain(c) && c != '@' && c != '/') return bad("contains a character that is not allowed");
  return ok_status();
}

}  // namespace rtx::resolver
