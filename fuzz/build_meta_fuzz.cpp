// <entry>.meta (resolver/build_meta.cpp): parse(serialize(x)) == x, for x read
// from a file and for x built from arbitrary values a manager may write (no
// line breaks: DESIGN.md §2 refuses control characters in line-based files).
#include <fuzzer/FuzzedDataProvider.h>

#include <string>

#include "fuzz/fuzz_check.hpp"
#include "resolver/build_meta.hpp"

using rtx::resolver::BuildMeta;

namespace {

bool same(const BuildMeta& a, const BuildMeta& b) {
  return a.bin_dirs == b.bin_dirs && a.env == b.env && a.path_prepend == b.path_prepend && a.aliases == b.aliases;
}

// A value as a writer would pass it: no control characters.
std::string value(FuzzedDataProvider& in) {
  std::string s = in.ConsumeRandomLengthString(64);
  std::erase_if(s, [](char c) { return static_cast<unsigned char>(c) < 0x20 || c == 0x7f; });
  return s;
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  BuildMeta read = rtx::resolver::parse_build_meta(rtx::fuzz::as_text(data, size));
  std::string text = read.serialize();
  FUZZ_CHECK(same(rtx::resolver::parse_build_meta(text), read));
  FUZZ_CHECK(rtx::resolver::parse_build_meta(text).serialize() == text);

  FuzzedDataProvider in(data, size);
  BuildMeta made;
  while (in.remaining_bytes() > 0 && made.bin_dirs.size() + made.env.size() + made.path_prepend.size() < 32) {
    switch (in.ConsumeIntegralInRange(0, 3)) {
      case 0: made.bin_dirs.push_back(value(in)); break;
      case 1: {
        std::string key = value(in);
        std::erase(key, '=');
        if (!key.empty()) made.env.emplace_back(key, value(in));
        break;
      }
      case 2: made.path_prepend.push_back(value(in)); break;
      default: made.aliases.push_back(value(in)); break;
    }
  }
  FUZZ_CHECK(same(rtx::resolver::parse_build_meta(made.serialize()), made));
  return 0;
}
