// Version strings, specs and their order (DESIGN.md §4): parse_spec,
// validate_version, compare_versions, spec_matches, ranked_matches.
// Input: lines; the first is a spec, every line is also a version.
#include <algorithm>
#include <string>
#include <vector>

#include "fuzz/fuzz_check.hpp"
#include "resolver/version.hpp"
#include "resolver/version_spec.hpp"

namespace {

using namespace rtx::resolver;

int sign(int v) { return (v > 0) - (v < 0); }

void check_valid_version(std::string_view v) {
  if (!validate_version(v)) return;
  FUZZ_CHECK(!v.empty() && v.size() <= kMaxVersionLength);
  FUZZ_CHECK(v.find('/') == std::string_view::npos && v.find('\0') == std::string_view::npos);
  FUZZ_CHECK(v.find("..") == std::string_view::npos);
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  std::string_view text = rtx::fuzz::as_text(data, size);
  std::vector<std::string> lines;
  for (std::string_view rest = text; !rest.empty() || lines.empty();) {
    std::string_view line;
    rtx::fuzz::split_once(rest, '\n', line, rest);
    lines.emplace_back(line);
    if (lines.size() >= 16) break;
  }
  for (const auto& v : lines) check_valid_version(v);

  // A total order: reflexive, antisymmetric, transitive, and prereleases
  // compare as promised against their own release.
  for (const auto& a : lines) {
    FUZZ_CHECK(compare_versions(a, a) == 0);
    for (const auto& b : lines) {
      int ab = sign(compare_versions(a, b));
      FUZZ_CHECK(ab == -sign(compare_versions(b, a)));
      for (const auto& c : lines) {
        int bc = sign(compare_versions(b, c));
        if (ab <= 0 && bc <= 0) FUZZ_CHECK(compare_versions(a, c) <= 0);
        if (ab == 0 && bc == 0) FUZZ_CHECK(compare_versions(a, c) == 0);
      }
    }
  }

  auto spec = parse_spec(lines[0]);
  if (!spec) return 0;
  FUZZ_CHECK(spec->kind != SpecKind::Version || validate_version(spec->text).ok());
  std::vector<std::string> versions;
  for (const auto& v : lines)
    if (validate_version(v)) versions.push_back(v);
  auto ranked = ranked_matches(*spec, versions);
  std::vector<bool> seen(versions.size());
  for (std::size_t i = 0; i < ranked.size(); ++i) {
    std::size_t at = ranked[i];
    FUZZ_CHECK(at < versions.size() && !seen[at]);
    seen[at] = true;
    FUZZ_CHECK(spec_matches(*spec, versions[at]));
    // The version the spec names comes first (as mise ranks it), then the
    // others newest first.
    if (spec_names(*spec, versions[at])) FUZZ_CHECK(i == 0 || spec_names(*spec, versions[ranked[i - 1]]));
    if (i > 0 && !spec_names(*spec, versions[ranked[i - 1]]))
      FUZZ_CHECK(compare_versions(versions[ranked[i - 1]], versions[at]) >= 0);
  }
  for (std::size_t i = 0; i < versions.size(); ++i) {
    if (!seen[i]) FUZZ_CHECK(!spec_matches(*spec, versions[i]));
    // Only an exact spec selects a prerelease (DESIGN.md §4).
    if (spec_matches(*spec, versions[i]) && is_prerelease(versions[i]))
      FUZZ_CHECK(spec->kind == SpecKind::Version && spec->text == versions[i]);
    if (spec->kind == SpecKind::System) FUZZ_CHECK(!spec_matches(*spec, versions[i]));
  }
  return 0;
}
