#include "resolver/legacy_files.hpp"

#include <charconv>
#include <iterator>

#include "resolver/config_file.hpp"
#include "resolver/printable.hpp"
#include "resolver/request.hpp"
#include "resolver/version_spec.hpp"

namespace rtx::resolver {
namespace {

constexpr std::size_t kLegacyMaxName = 255;
constexpr std::size_t kLegacyMaxOutput = 160;  // what an error quotes of a script's output

bool legacy_is_space(char c) { return c == ' ' || c == '\t' || c == '\r' || c == '\n' || c == '\v' || c == '\f'; }

std::string_view legacy_trim(std::string_view s) {
  while (!s.empty() && legacy_is_space(s.front())) s.remove_prefix(1);
  while (!s.empty() && legacy_is_space(s.back())) s.remove_suffix(1);
  return s;
}

// The next space-separated word of `line` (which then starts after it).
std::string_view legacy_next_word(std::string_view& line) {
  while (!line.empty() && line.front() == ' ') line.remove_prefix(1);
  std::size_t end = line.find(' ');
  std::string_view word = line.substr(0, end);
  line = end == std::string_view::npos ? std::string_view() : line.substr(end);
  return word;
}

template <typename Int>
bool legacy_number(std::string_view word, Int& out) {
  if (word.empty()) return false;
  auto [end, ec] = std::from_chars(word.data(), word.data() + word.size(), out);
  return ec == std::errc() && end == word.data() + word.size();
}

// Calls visit(line) for each line of `text` without its '\n'.
template <typename Visit>
void legacy_each_line(std::string_view text, Visit visit) {
  while (!text.empty()) {
    std::size_t nl = text.find('\n');
    visit(text.substr(0, nl));
    if (nl == std::string_view::npos) break;
    text.remove_prefix(nl + 1);
  }
}

bool legacy_version_ok(std::string_view version) { return parse_spec(version).ok(); }

}  // namespace

std::string legacy_name_problem(std::string_view name) {
  if (name.empty()) return "is empty";
  if (name.size() > kLegacyMaxName) return "is longer than 255 bytes";
  if (name == "." || name == "..") return "is not a file name";
  for (char c : name) {
    auto u = static_cast<unsigned char>(c);
    if (c == '/') return "contains '/': a legacy file is a name in the project's folder";
    if (u <= 0x20 || u == 0x7f) return "contains whitespace or a control character";
  }
  for (const char* own : kConfigNames)
    if (name == own) return "is one of rtx's own config files";
  return {};
}

std::vector<LegacyPlugin> parse_legacy_filenames(std::string_view text) {
  std::vector<LegacyPlugin> out;
  legacy_each_line(text, [&](std::string_view line) {
    if (line.empty() || line[0] == '#') return;
    LegacyPlugin plugin{std::string(legacy_next_word(line)), {}};
    if (!validate_tool_name(plugin.tool).ok() || plugin.tool.find(':') != std::string::npos) return;
    for (const auto& p : out)
      if (p.tool == plugin.tool) return;
    for (std::string_view name = legacy_next_word(line); !name.empty(); name = legacy_next_word(line)) {
      if (!legacy_name_problem(name).empty()) return;
      plugin.names.emplace_back(name);
    }
    out.push_back(std::move(plugin));
  });
  return out;
}

std::string format_legacy_filenames(const std::vector<LegacyPlugin>& plugins) {
  std::string out = "# rtx: the legacy version files of each asdf plugin (bin/list-legacy-filenames)\n";
  for (const auto& p : plugins) {
    out += p.tool;
    for (const auto& n : p.names) out += ' ' + n;
    out += '\n';
  }
  return out;
}

std::vector<LegacyAnswer> parse_legacy_answers(std::string_view text) {
  std::vector<LegacyAnswer> out;
  legacy_each_line(text, [&](std::string_view line) {
    if (line.empty() || line[0] == '#') return;
    LegacyAnswer a;
    a.tool = std::string(legacy_next_word(line));
    FileIdentity& id = a.identity;
    if (!legacy_number(legacy_next_word(line), id.dev) || !legacy_number(legacy_next_word(line), id.ino) ||
        !legacy_number(legacy_next_word(line), id.size) || !legacy_number(legacy_next_word(line), id.mtime_ns) ||
        !legacy_number(legacy_next_word(line), id.ctime_ns))
      return;
    a.version = std::string(legacy_next_word(line));
    if (line.size() < 2 || line[0] != ' ') return;
    a.path = std::string(line.substr(1));  // the rest, spaces and all
    if (format_legacy_answer(a).empty()) return;
    out.push_back(std::move(a));
  });
  return out;
}

std::string format_legacy_answer(const LegacyAnswer& a) {
  if (!validate_tool_name(a.tool).ok() || a.tool.find(':') != std::string::npos) return {};
  if (!legacy_version_ok(a.version)) return {};
  if (a.path.empty() || a.path[0] != '/' || has_control_chars(a.path)) return {};
  const FileIdentity& id = a.identity;
  return a.tool + ' ' + std::to_string(id.dev) + ' ' + std::to_string(id.ino) + ' ' + std::to_string(id.size) + ' ' +
         std::to_string(id.mtime_ns) + ' ' + std::to_string(id.ctime_ns) + ' ' + a.version + ' ' + a.path;
}

const LegacyAnswer* find_legacy_answer(const std::vector<LegacyAnswer>& answers, const LegacyAnswer& key) {
  // The newest line wins: the manager appends and a later answer is fresher.
  for (auto it = answers.rbegin(); it != answers.rend(); ++it)
    if (it->tool == key.tool && it->path == key.path && it->identity == key.identity) return &*it;
  return nullptr;
}

Expected<std::string> legacy_output_version(std::string_view output) {
  std::string_view v = legacy_trim(output);
  auto quoted = [&] { return "'" + printable(v, kLegacyMaxOutput) + "'"; };
  if (v.empty()) return make_error("printed no version");
  for (char c : v)
    if (legacy_is_space(c)) return make_error("printed " + quoted() + ", which is not one version");
  if (auto spec = parse_spec(v); !spec) return make_error("printed " + quoted() + ": " + spec.error());
  return std::string(v);
}

Expected<std::pair<std::string, int>> legacy_file_version(const std::string& path, std::string_view text) {
  if (text.substr(0, 3) == "\xEF\xBB\xBF") text.remove_prefix(3);
  int number = 0;
  std::pair<std::string, int> found;
  Status problem = ok_status();
  legacy_each_line(text, [&](std::string_view line) {
    ++number;
    if (!found.first.empty() || !problem) return;
    line = legacy_trim(line.substr(0, line.find('#')));
    if (line.empty()) return;
    std::string at = path + ":" + std::to_string(number) + ": ";
    for (char c : line)
      if (legacy_is_space(c)) {
        problem = make_error(at + "'" + printable(line, kLegacyMaxOutput) +
                             "' is not one version: write one version, e.g. 1.2.3");
        return;
      }
    if (auto spec = parse_spec(line); !spec) {
      problem = make_error(at + spec.error());
      return;
    }
    found = {std::string(line), number};
  });
  if (!problem) return Error{problem.error()};
  return found;
}

}  // namespace rtx::resolver
