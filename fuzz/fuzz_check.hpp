// What every target shares: FUZZ_CHECK, an assertion that stays on in every
// build and aborts with the broken property, so libFuzzer saves the input.
#pragma once

#include <cstddef>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <string_view>

#define FUZZ_CHECK(cond)                                                               \
  do {                                                                                 \
    if (!(cond)) {                                                                     \
      std::fprintf(stderr, "%s:%d: property broken: %s\n", __FILE__, __LINE__, #cond); \
      std::abort();                                                                    \
    }                                                                                  \
  } while (0)

namespace rtx::fuzz {

inline std::string_view as_text(const std::uint8_t* data, std::size_t size) {
  return {reinterpret_cast<const char*>(data), size};
}

// Splits the input at the first `sep` (two fields from one input: a document
// and a key, a range and a version list). No separator: everything is `first`.
inline void split_once(std::string_view text, char sep, std::string_view& first, std::string_view& rest) {
  std::size_t at = text.find(sep);
  first = text.substr(0, at);
  rest = at == std::string_view::npos ? std::string_view{} : text.substr(at + 1);
}

}  // namespace rtx::fuzz
