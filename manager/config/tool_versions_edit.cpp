// set_in_tool_versions (config_edit.hpp): `tool v1 [v2 …] [# comment]` lines;
// the tool's first line gets the new versions, everything around them stays.
#include <algorithm>

#include "manager/config/config_edit.hpp"
#include "resolver/config_file.hpp"

namespace rtx::config {
namespace {

bool is_space(char c) { return c == ' ' || c == '\t' || c == '\r' || c == '\v' || c == '\f'; }

std::string left_unchanged(const std::string& message) {
  return message + "; fix the file, then run rtx use again; rtx left it unchanged";
}

// Where the versions of `tool` sit on its first line: [begin, end), or npos.
std::pair<std::size_t, std::size_t> find_versions(std::string_view text, std::size_t from, std::string_view tool) {
  std::size_t b = from;
  while (b < text.size()) {
    std::size_t e = text.find('\n', b);
    if (e == std::string_view::npos) e = text.size();
    std::size_t code_end = std::min(e, text.find('#', b));
    std::size_t i = b;
    while (i < code_end && is_space(text[i])) ++i;
    std::size_t word = i;
    while (i < code_end && !is_space(text[i])) ++i;
    if (text.substr(word, i - word) == tool) {
      while (i < code_end && is_space(text[i])) ++i;
      std::size_t last = code_end;
      while (last > i && is_space(text[last - 1])) --last;
      return {i, last};
    }
    b = e + 1;
  }
  return {std::string_view::npos, std::string_view::npos};
}

}  // namespace

Expected<std::string> set_in_tool_versions(std::string_view text, const std::string& path, const std::string& tool,
                                           const std::string& spec) {
  auto before = resolver::parse_config(path, text, resolver::ConfigFormat::ToolVersions);
  if (!before) return make_error(left_unchanged(before.error()));
  if (spec.empty() || std::any_of(spec.begin(), spec.end(), [](char c) {
        return is_space(c) || c == '\n' || c == '#' || (unsigned char)c < 0x20 || c == 0x7f;
      }))
    return make_error("cannot write version '" + spec + "' to " + path +
                      ": a .tool-versions version has no spaces, '#' or control characters");

  std::size_t start = text.substr(0, 3) == "\xEF\xBB\xBF" ? 3 : 0;
  std::string edited;
  if (auto [b, e] = find_versions(text, start, tool); b != std::string_view::npos && b < e) {
    edited = std::string(text.substr(0, b)) + spec + std::string(text.substr(e));
  } else {
    std::size_t nl = text.find('\n');
    std::string eol = nl != std::string_view::npos && nl > 0 && text[nl - 1] == '\r' ? "\r\n" : "\n";
    edited = text;
    if (edited.size() > start && edited.back() != '\n') edited += eol;
    edited += tool + " " + spec + eol;
  }

  // The result must read back with this tool at `spec` and every other tool as before.
  auto after = resolver::parse_config(path, edited, resolver::ConfigFormat::ToolVersions);
  bool same = after && after->tools.size() >= before->tools.size();
  for (const auto& t : before->tools)
    if (same && t.tool != tool) same = after->find(t.tool) && after->find(t.tool)->specs == t.specs;
  if (!same || !after->find(tool) || after->find(tool)->specs != std::vector<std::string>{spec})
    return make_error("cannot edit " + path + " safely: write '" + tool + " " + spec +
                      "' in it by hand; rtx left the file unchanged");
  return edited;
}

Expected<std::string> bump_in_tool_versions(std::string_view text, const std::string& path, const std::string& tool,
                                            const SpecBump& bump) {
  auto before = resolver::parse_config(path, text, resolver::ConfigFormat::ToolVersions);
  if (!before)
    return make_error(before.error() + "; fix the file, then run rtx upgrade --bump again; rtx left it unchanged");
  const resolver::ToolEntry* entry = before->find(tool);
  if (!entry || bump.index >= entry->specs.size() || entry->specs[bump.index] != bump.from)
    return make_error(path + " no longer asks for " + tool + " " + bump.from +
                      ": run 'rtx upgrade --bump' again; rtx left the file unchanged");
  const std::string refused = "cannot edit " + path + " safely: change " + tool + "'s '" + bump.from + "' to '" +
                              bump.to + "' in it by hand; rtx left the file unchanged";
  if (bump.to.empty() || std::any_of(bump.to.begin(), bump.to.end(), [](char c) {
        return is_space(c) || c == '\n' || c == '#' || (unsigned char)c < 0x20 || c == 0x7f;
      }))
    return make_error(refused);

  // The versions are the words between `b` and `e`; the one at `index` changes.
  std::size_t start = text.substr(0, 3) == "\xEF\xBB\xBF" ? 3 : 0;
  auto [b, e] = find_versions(text, start, tool);
  if (b == std::string_view::npos) return make_error(refused);
  std::size_t word = b;
  for (std::size_t n = 0;; ++n) {
    std::size_t end = word;
    while (end < e && !is_space(text[end])) ++end;
    if (n == bump.index) {
      if (text.substr(word, end - word) != bump.from) return make_error(refused);
      b = word;
      e = end;
      break;
    }
    word = end;
    while (word < e && is_space(text[word])) ++word;
    if (word >= e) return make_error(refused);
  }
  std::string edited = std::string(text.substr(0, b)) + bump.to + std::string(text.substr(e));

  std::vector<std::string> want = entry->specs;
  want[bump.index] = bump.to;
  auto after = resolver::parse_config(path, edited, resolver::ConfigFormat::ToolVersions);
  bool same = after && after->tools.size() == before->tools.size();
  for (const auto& t : before->tools)
    if (same) same = after->find(t.tool) && after->find(t.tool)->specs == (t.tool == tool ? want : t.specs);
  if (!same) return make_error(refused);
  return edited;
}

}  // namespace rtx::config
