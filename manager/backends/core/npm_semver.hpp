// npm's version ranges, as node-semver reads them (strict mode, without
// includePrerelease), to pick the version of an npm dependency that npm would:
// "^1.2.3", "~1.2", "1.x", ">=1.0.0 <2.0.0 || 3", "1.2.3 - 2.3.4", "*", "".
// Dist-tags ("latest") and specs that are not ranges ("npm:alias@1",
// "git+https://…", "file:…") are the caller's: they are errors here.
#pragma once

#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "resolver/expected.hpp"

namespace rtx::backends::core {

// A parsed range: '||'-separated sets of comparators. Cheap to copy (the
// parsed sets are shared and never change).
class NpmRange {
 public:
  // The range as node-semver prints it (`new Range(text).range`), for
  // messages: "^1.2" is ">=1.2.0 <2.0.0-0", "1 || 2.x" is
  // ">=1.0.0 <2.0.0-0||>=2.0.0 <3.0.0-0"; one that admits any version is "*".
  std::string normalized() const;

  struct Sets;  // defined in npm_semver.cpp

 private:
  explicit NpmRange(std::shared_ptr<const Sets> sets) : sets_(std::move(sets)) {}
  std::shared_ptr<const Sets> sets_;

  friend Expected<NpmRange> parse_npm_range(std::string_view text);
  friend bool npm_satisfies(const NpmRange& range, std::string_view version);
  friend std::optional<std::string> npm_max_satisfying(const std::vector<std::string>& versions, const NpmRange& range);
};

// Errors read "'<text>' is not an npm version range (<why>)".
Expected<NpmRange> parse_npm_range(std::string_view text);

// Whether `version` ("1.2.3", "v1.2.3", "=1.2.3", "1.2.3-beta.1+build") is in
// `range`. A version that is not semver never satisfies. A prerelease
// satisfies only a set that names a prerelease of the same major.minor.patch
// (">1.2.3-alpha.3" admits 1.2.3-alpha.7, not 3.4.5-alpha.9).
bool npm_satisfies(const NpmRange& range, std::string_view version);

// The highest of `versions` (by semver precedence) that satisfies `range`, as
// written in `versions`; the first of equal ones; nullopt when none does.
std::optional<std::string> npm_max_satisfying(const std::vector<std::string>& versions, const NpmRange& range);

// Semver precedence of two versions: -1, 0 or 1. Build metadata is ignored;
// a string that is not a version sorts below every version.
int npm_compare(std::string_view a, std::string_view b);

}  // namespace rtx::backends::core
