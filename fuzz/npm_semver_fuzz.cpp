// node-semver ranges (manager/backends/core/npm_semver.cpp). Input: a range on
// the first line, candidate versions on the next ones.
#include <string>
#include <vector>

#include "fuzz/fuzz_check.hpp"
#include "manager/backends/core/npm_semver.hpp"

using namespace rtx::backends::core;

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  std::string_view range_text, rest;
  rtx::fuzz::split_once(rtx::fuzz::as_text(data, size), '\n', range_text, rest);
  std::vector<std::string> versions;
  while (!rest.empty() && versions.size() < 16) {
    std::string_view line;
    rtx::fuzz::split_once(rest, '\n', line, rest);
    versions.emplace_back(line);
  }

  // npm_compare is a total order (as the max search relies on).
  for (const auto& a : versions) {
    FUZZ_CHECK(npm_compare(a, a) == 0);
    for (const auto& b : versions) {
      int ab = npm_compare(a, b);
      FUZZ_CHECK(ab >= -1 && ab <= 1 && ab == -npm_compare(b, a));
      for (const auto& c : versions)
        if (ab <= 0 && npm_compare(b, c) <= 0) FUZZ_CHECK(npm_compare(a, c) <= 0);
    }
  }

  auto range = parse_npm_range(range_text);
  if (!range) {
    FUZZ_CHECK(range.error().find("is not an npm version range") != std::string::npos);
    return 0;
  }
  // The normalized form is a range meaning the same, and a fixed point.
  std::string normalized = range->normalized();
  auto again = parse_npm_range(normalized);
  FUZZ_CHECK(again.ok());
  FUZZ_CHECK(again->normalized() == normalized);
  for (const auto& v : versions) FUZZ_CHECK(npm_satisfies(*range, v) == npm_satisfies(*again, v));

  auto best = npm_max_satisfying(versions, *range);
  bool any = false;
  for (const auto& v : versions) {
    if (!npm_satisfies(*range, v)) continue;
    any = true;
    FUZZ_CHECK(best && npm_compare(*best, v) >= 0);
  }
  FUZZ_CHECK(any == best.has_value());
  if (best) FUZZ_CHECK(npm_satisfies(*range, *best));
  return 0;
}
