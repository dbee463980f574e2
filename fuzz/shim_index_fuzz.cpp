// shims/.index (resolver/shim_index.cpp). Input: the command on the first
// line, the index after it. Checked against a plain reading of the format:
// the first line "<command>\t…" gives the tools, empty fields skipped; and
// the binary search against the scan.
#include <string>
#include <vector>

#include "fuzz/fuzz_check.hpp"
#include "resolver/shim_index.hpp"

namespace {

std::vector<std::string> reference(std::string_view index, std::string_view command) {
  while (!index.empty()) {
    std::string_view line;
    rtx::fuzz::split_once(index, '\n', line, index);
    std::string_view name, fields;
    rtx::fuzz::split_once(line, '\t', name, fields);
    if (name != command || line.size() == name.size()) continue;
    std::vector<std::string> tools;
    while (true) {
      std::string_view tool;
      bool last = fields.find('\t') == std::string_view::npos;
      rtx::fuzz::split_once(fields, '\t', tool, fields);
      if (!tool.empty()) tools.emplace_back(tool);
      if (last) break;
    }
    return tools;
  }
  return {};
}

// How many lines are the command's.
int lines_of(std::string_view index, std::string_view command) {
  int n = 0;
  while (!index.empty()) {
    std::string_view line;
    rtx::fuzz::split_once(index, '\n', line, index);
    std::string_view name, fields;
    rtx::fuzz::split_once(line, '\t', name, fields);
    if (name == command && line.size() > name.size()) ++n;
  }
  return n;
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  std::string_view command, index;
  rtx::fuzz::split_once(rtx::fuzz::as_text(data, size), '\n', command, index);
  auto tools = rtx::resolver::tools_for_command(index, command);
  for (const auto& t : tools) FUZZ_CHECK(!t.empty() && t.find_first_of("\t\n") == std::string::npos);
  // A command holding a tab cannot be written in the index (reshim refuses
  // control characters), so the plain reading is only asked for others.
  if (command.find('\t') == std::string_view::npos) FUZZ_CHECK(tools == reference(index, command));
  // The binary search (what the shim runs) never crashes on any index, and
  // answers as the scan wherever the command has one line, sorted or not.
  auto searched = rtx::resolver::tools_for_command_sorted(index, command);
  for (const auto& t : searched) FUZZ_CHECK(!t.empty() && t.find_first_of("\t\n") == std::string::npos);
  if (command.find_first_of("\t\n") == std::string_view::npos && lines_of(index, command) <= 1)
    FUZZ_CHECK(searched == tools);
  return 0;
}
