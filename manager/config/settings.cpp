#include "manager/config/settings.hpp"

#include <cerrno>

#include "resolver/file_io.hpp"
#include "resolver/toml.hpp"
#include "resolver/toml_guard.hpp"

namespace rtx::config {

Expected<Settings> load_settings(const std::string& config_dir) {
  Settings s;
  std::string path = config_dir + "/config.toml";
  std::string text;
  if (resolver::read_file(path, text) != 0) return s;
  if (std::string bad = resolver::toml_text_problem(text, path); !bad.empty()) return make_error(bad);
  toml::parse_result parsed = toml::parse(text, path);
  if (!parsed)
    return make_error(path + ":" + std::to_string(parsed.error().source().begin.line) +
                      ": invalid TOML: " + std::string(parsed.error().description()));
  const toml::table& root = parsed.table();
  if (const toml::node* keep = root.at_path("settings.keep_previous").node()) {
    auto value = keep->value<int64_t>();
    if (!value || *value < 0 || *value > 1000)
      return make_error(path + ":" + std::to_string(keep->source().begin.line) +
                        ": settings.keep_previous must be a whole number from 0 to 1000, like keep_previous = 1");
    s.keep_previous = int(*value);
  }
  for (auto [key, field] : {std::pair{"lockfile", &Settings::lockfile}, std::pair{"locked", &Settings::locked}}) {
    const toml::node* n = root.at_path(std::string("settings.") + key).node();
    if (!n) continue;
    auto value = n->value<bool>();
    if (!value || !n->is_boolean())
      return make_error(path + ":" + std::to_string(n->source().begin.line) + ": settings." + key +
                        " must be true or false, like " + key + " = true");
    s.*field = *value;
  }
  for (auto [key, field] : {std::pair{"node_signatures", &Settings::node_signatures},
                            std::pair{"npm_signatures", &Settings::npm_signatures}}) {
    const toml::node* n = root.at_path(std::string("settings.") + key).node();
    if (!n) continue;
    auto text = n->value<std::string>();
    s.*field = text ? verify::parse_signature_policy(*text) : std::nullopt;
    if (!(s.*field))
      return make_error(path + ":" + std::to_string(n->source().begin.line) + ": settings." + key + " must be " +
                        verify::kSignaturePolicyValues + ", like " + key + " = \"require\"");
  }
  return s;
}

}  // namespace rtx::config
