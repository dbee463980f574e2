#include "resolver/idiomatic.hpp"

#include <cstdlib>
#include <cstring>

#include "resolver/toml.hpp"
#include "resolver/toml_guard.hpp"

namespace rtx::resolver {
namespace {

std::string_view trim(std::string_view s) {
  while (!s.empty() && (s.front() == ' ' || s.front() == '\t' || s.front() == '\r')) s.remove_prefix(1);
  while (!s.empty() && (s.back() == ' ' || s.back() == '\t' || s.back() == '\r')) s.remove_suffix(1);
  return s;
}

bool starts_with(std::string_view s, std::string_view p) { return s.substr(0, p.size()) == p; }

// Lines without comments ('#' to the end of a line) or blanks, with their numbers.
std::vector<std::pair<std::string_view, int>> lines(std::string_view text) {
  if (starts_with(text, "\xEF\xBB\xBF")) text.remove_prefix(3);
  std::vector<std::pair<std::string_view, int>> out;
  int number = 0;
  while (!text.empty()) {
    std::size_t nl = text.find('\n');
    std::string_view line = text.substr(0, nl);
    text = nl == std::string_view::npos ? std::string_view() : text.substr(nl + 1);
    ++number;
    line = trim(line.substr(0, line.find('#')));
    if (!line.empty()) out.emplace_back(line, number);
  }
  return out;
}

std::string node_spec(std::string_view v) {
  if (v == "node" || v == "stable") return "latest";
  if (v == "lts/*") return "lts";
  if (starts_with(v, "lts/")) return "lts-" + std::string(v.substr(4));
  if (v.size() > 1 && (v[0] == 'v' || v[0] == 'V') && v[1] >= '0' && v[1] <= '9') v.remove_prefix(1);
  return std::string(v);
}

std::string rust_spec(std::string_view v) { return v == "stable" ? "latest" : std::string(v); }

// The channel of a rust-toolchain.toml ([toolchain] channel = "…").
Expected<std::pair<std::string, int>> rust_toml_channel(const std::string& path, std::string_view text) {
  if (std::string problem = toml_text_problem(text, path); !problem.empty()) return make_error(problem);
  toml::parse_result parsed = toml::parse(text, std::string_view(path));
  if (!parsed)
    return make_error(path + ":" + std::to_string(parsed.error().source().begin.line) +
                      ": invalid TOML: " + std::string(parsed.error().description()) + " (fix the file)");
  const toml::node* channel = parsed.table().at_path("toolchain.channel").node();
  if (!channel) return std::pair<std::string, int>{};
  const auto* s = channel->as_string();
  int line = int(channel->source().begin.line);
  if (!s)
    return make_error(path + ":" + std::to_string(line) + ": [toolchain] channel must be a string like \"1.82.0\"");
  return std::pair<std::string, int>{s->get(), line};
}

}  // namespace

std::vector<std::string> idiomatic_tools(std::string_view global_config_text) {
  std::vector<std::string> out;
  if (const char* env = std::getenv("RTX_IDIOMATIC_VERSION_FILE_ENABLE_TOOLS")) {
    std::string_view list(env);
    while (!list.empty()) {
      std::size_t comma = list.find(',');
      std::string_view tool = trim(list.substr(0, comma));
      if (!tool.empty()) out.emplace_back(tool);
      if (comma == std::string_view::npos) break;
      list.remove_prefix(comma + 1);
    }
    return out;
  }
  if (global_config_text.empty() || toml_non_ascii_line(global_config_text) != 0) return out;
  toml::parse_result parsed = toml::parse(global_config_text);
  if (!parsed) return out;  // the global config's own errors are reported when it is read for tools
  if (const toml::array* tools = parsed.table()["settings"]["idiomatic_version_file_enable_tools"].as_array())
    for (const toml::node& t : *tools)
      if (const auto* s = t.as_string()) out.push_back(s->get());
  return out;
}

Expected<ConfigFile> parse_idiomatic(std::string path, const IdiomaticFile& file, std::string_view text) {
  ConfigFile config{std::move(path), {}};
  ToolEntry entry{file.tool, {}, 0};
  std::string_view name = file.name;
  if (name == "rust-toolchain.toml" ||
      (name == "rust-toolchain" && text.find("[toolchain]") != std::string_view::npos)) {
    auto channel = rust_toml_channel(config.path, text);
    if (!channel) return Error{channel.error()};
    if (channel->first.empty()) return config;
    entry.specs.push_back(rust_spec(channel->first));
    entry.line = channel->second;
  } else {
    auto all = lines(text);
    if (all.empty()) return config;
    entry.line = all.front().second;
    // Only .python-version lists fallbacks (pyenv reads every line); the
    // others hold one version on their first line.
    if (name != ".python-version") all.resize(1);
    for (auto [line, number] : all) {
      if (line.find_first_of(" \t") != std::string_view::npos)
        return make_error(config.path + ":" + std::to_string(number) + ": '" + std::string(line) +
                          "' is not one version: write one version per line");
      std::string spec(line);
      if (file.tool == std::string_view("node"))
        spec = node_spec(line);
      else if (file.tool == std::string_view("rust"))
        spec = rust_spec(line);
      else if (file.tool == std::string_view("ruby") && starts_with(line, "ruby-"))
        spec = line.substr(5);
      else if (file.tool == std::string_view("go") && starts_with(line, "go"))
        spec = line.substr(2);
      if (spec.empty())  // "ruby-" or "go" alone (found by fuzz/idiomatic)
        return make_error(config.path + ":" + std::to_string(number) + ": '" + std::string(line) +
                          "' names no version: write one, e.g. 1.2.3");
      entry.specs.push_back(std::move(spec));
    }
  }
  config.tools.push_back(std::move(entry));
  return config;
}

Expected<ConfigFile> parse_any_config(std::string path, std::string_view text) {
  std::string_view base = std::string_view(path).substr(path.rfind('/') + 1);
  for (const auto& file : kIdiomaticFiles)
    if (base == file.name) return parse_idiomatic(std::move(path), file, text);
  ConfigFormat format = format_of(path);
  return parse_config(std::move(path), text, format);
}

}  // namespace rtx::resolver
