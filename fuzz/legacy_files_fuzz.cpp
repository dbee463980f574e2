// asdf legacy version files (resolver/legacy_files.cpp): the first byte picks
// the parser — the record of plugins' file names, the cache of
// parse-legacy-file answers, a script's output, a plain legacy file — and the
// rest is its input. What a parser accepts must obey the rules the shim's walk
// relies on (plain names, one version, paths without control characters) and
// survive a write and a re-read unchanged.
#include "fuzz/fuzz_check.hpp"
#include "resolver/config_file.hpp"
#include "resolver/legacy_files.hpp"
#include "resolver/version_spec.hpp"

namespace {

using namespace rtx::resolver;

bool legacy_fuzz_one_word(std::string_view s) {
  for (char c : s)
    if (static_cast<unsigned char>(c) <= 0x20 || c == 0x7f) return false;
  return !s.empty();
}

void legacy_fuzz_names(std::string_view text) {
  auto plugins = parse_legacy_filenames(text);
  for (const auto& p : plugins) {
    FUZZ_CHECK(validate_tool_name(p.tool).ok());
    for (const auto& n : p.names) FUZZ_CHECK(legacy_name_problem(n).empty() && n.find('/') == std::string::npos);
  }
  auto again = parse_legacy_filenames(format_legacy_filenames(plugins));
  FUZZ_CHECK(again.size() == plugins.size());
  for (std::size_t i = 0; i < again.size(); ++i)
    FUZZ_CHECK(again[i].tool == plugins[i].tool && again[i].names == plugins[i].names);
}

void legacy_fuzz_answers(std::string_view text) {
  for (const auto& a : parse_legacy_answers(text)) {
    std::string line = format_legacy_answer(a);
    FUZZ_CHECK(!line.empty() && line.find('\n') == std::string::npos);
    FUZZ_CHECK(!a.path.empty() && a.path[0] == '/');
    FUZZ_CHECK(parse_spec(a.version).ok());
    auto again = parse_legacy_answers(line);
    FUZZ_CHECK(again.size() == 1);
    FUZZ_CHECK(again[0].tool == a.tool && again[0].path == a.path && again[0].version == a.version &&
               again[0].identity == a.identity);
  }
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  if (size == 0) return 0;
  std::string_view text = rtx::fuzz::as_text(data + 1, size - 1);
  switch (data[0] % 4) {
    case 0:
      legacy_fuzz_names(text);
      break;
    case 1:
      legacy_fuzz_answers(text);
      break;
    case 2:
      if (auto v = legacy_output_version(text)) FUZZ_CHECK(legacy_fuzz_one_word(*v) && parse_spec(*v).ok());
      break;
    default: {
      const std::string path = "/p/.lang-version";
      auto v = legacy_file_version(path, text);
      if (!v)
        FUZZ_CHECK(v.error().rfind(path + ":", 0) == 0);
      else if (!v->first.empty())
        FUZZ_CHECK(legacy_fuzz_one_word(v->first) && parse_spec(v->first).ok() && v->second >= 1);
    }
  }
  return 0;
}
