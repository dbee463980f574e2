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
  const toml::node* keep = parsed.table().at_path("settings.keep_previous").node();
  if (!keep) return s;
  auto value = keep->value<int64_t>();
  if (!value || *value < 0 || *value > 1000)
    return make_error(path + ":" + std::to_string(keep->source().begin.line) +
                      ": settings.keep_previous must be a whole number from 0 to 1000, like keep_previous = 1");
  s.keep_previous = int(*value);
  return s;
}

}  // namespace rtx::config
