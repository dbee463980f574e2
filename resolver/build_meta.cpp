#include "resolver/build_meta.hpp"

#include "resolver/file_io.hpp"
#include "resolver/printable.hpp"
#include "resolver/store_layout.hpp"

namespace rtx::resolver {

Expected<std::string> BuildMeta::serialize() const {
  auto refuse = [](const char* what, std::string_view value) {
    return make_error("refusing a build " + std::string(what) + " with a control character ('" + printable(value, 80) +
                      "'): the backend's data is malformed or hostile; report it to whoever publishes it");
  };
  for (const auto& b : bin_dirs)
    if (has_control_chars(b)) return refuse("bin folder", b);
  for (const auto& [k, v] : env)
    if (has_control_chars(k) || has_control_chars(v) || k.find('=') != std::string::npos || k.empty())
      return refuse("environment variable", k + "=" + v);
  for (const auto& p : path_prepend)
    if (has_control_chars(p)) return refuse("PATH entry", p);
  for (const auto& a : aliases)
    if (has_control_chars(a)) return refuse("alias", a);
  std::string out;
  for (const auto& b : bin_dirs) out += "bin " + b + "\n";
  for (const auto& [k, v] : env) out += "env " + k + "=" + v + "\n";
  for (const auto& p : path_prepend) out += "path " + p + "\n";
  for (const auto& a : aliases) out += "alias " + a + "\n";
  return out;
}

BuildMeta parse_build_meta(std::string_view text) {
  BuildMeta meta;
  while (!text.empty()) {
    std::size_t eol = text.find('\n');
    std::string_view line = text.substr(0, eol);
    text = eol == std::string_view::npos ? std::string_view{} : text.substr(eol + 1);
    if (line.substr(0, 4) == "bin ") {
      meta.bin_dirs.emplace_back(line.substr(4));
    } else if (line.substr(0, 5) == "path ") {
      meta.path_prepend.emplace_back(line.substr(5));
    } else if (line.substr(0, 6) == "alias ") {
      meta.aliases.emplace_back(line.substr(6));
    } else if (line.substr(0, 4) == "env ") {
      std::string_view kv = line.substr(4);
      std::size_t eq = kv.find('=');
      if (eq != std::string_view::npos && eq > 0) meta.env.emplace_back(kv.substr(0, eq), kv.substr(eq + 1));
    }
  }
  return meta;
}

BuildMeta load_build_meta(const std::string& entry_path) {
  std::string text;
  if (read_file(meta_path(entry_path), text) != 0) {
    BuildMeta fallback;
    fallback.bin_dirs = {"bin"};
    return fallback;
  }
  BuildMeta meta = parse_build_meta(text);
  if (meta.bin_dirs.empty()) meta.bin_dirs.emplace_back("bin");
  return meta;
}

std::string find_command(const std::string& entry_path, const BuildMeta& meta, std::string_view command) {
  for (const auto& dir : meta.bin_dirs) {
    std::string candidate = entry_path + "/" + dir + "/" + std::string(command);
    if (is_executable_file(candidate)) return candidate;
  }
  return {};
}

}  // namespace rtx::resolver
