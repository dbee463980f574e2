// Idiomatic version files (resolver/idiomatic.cpp): the first byte picks which
// of .nvmrc, .python-version, rust-toolchain.toml, … the rest is read as. An
// error names the file; a result names that file's tool only, with non-empty
// one-line specs (a spec that does not parse is reported later, with path:line).
#include "fuzz/fuzz_check.hpp"
#include "resolver/idiomatic.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  if (size == 0) return 0;
  const auto& file = rtx::resolver::kIdiomaticFiles[data[0] % rtx::resolver::kIdiomaticCount];
  std::string_view text(reinterpret_cast<const char*>(data + 1), size - 1);
  const std::string path = std::string("/p/") + file.name;
  auto parsed = rtx::resolver::parse_idiomatic(path, file, text);
  if (!parsed) {
    FUZZ_CHECK(parsed.error().rfind(path + ":", 0) == 0);
    return 0;
  }
  FUZZ_CHECK(parsed->path == path);
  FUZZ_CHECK(parsed->tools.size() <= 1);
  for (const auto& entry : parsed->tools) {
    FUZZ_CHECK(entry.tool == file.tool);
    FUZZ_CHECK(!entry.specs.empty());
    for (const auto& spec : entry.specs) FUZZ_CHECK(!spec.empty() && spec.find('\n') == std::string::npos);
  }
  return 0;
}
