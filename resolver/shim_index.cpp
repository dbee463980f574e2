#include "resolver/shim_index.hpp"

namespace rtx::resolver {

std::vector<std::string> tools_for_command(std::string_view text, std::string_view command) {
  std::vector<std::string> tools;
  while (!text.empty()) {
    std::size_t eol = text.find('\n');
    std::string_view line = text.substr(0, eol);
    text = eol == std::string_view::npos ? std::string_view{} : text.substr(eol + 1);
    if (line.size() <= command.size() || line[command.size()] != '\t' || line.substr(0, command.size()) != command)
      continue;
    line.remove_prefix(command.size() + 1);
    while (!line.empty()) {
      std::size_t tab = line.find('\t');
      if (tab != 0) tools.emplace_back(line.substr(0, tab));
      if (tab == std::string_view::npos) break;
      line.remove_prefix(tab + 1);
    }
    break;
  }
  return tools;
}

}  // namespace rtx::resolver
