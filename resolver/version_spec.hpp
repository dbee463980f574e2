// Version specs and matching against installed versions (DESIGN.md §4).
#pragma once

#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "resolver/expected.hpp"

namespace rtx::resolver {

enum class SpecKind { Version, Latest, System };

// One spec: "1.2.3" (exact, or a whole-component prefix), "latest", "system".
struct VersionSpec {
  SpecKind kind = SpecKind::Version;
  std::string text;
};

Expected<VersionSpec> parse_spec(std::string_view text);

// Does `version` satisfy `spec`? Exact equality selects anything, a prerelease
// included; a prefix matches whole dotted components (1.2 matches 1.2.7, never
// 1.20.0) and skips prereleases; latest skips prereleases; system matches nothing
// installed.
bool spec_matches(const VersionSpec& spec, std::string_view version);

// Whether `spec` names `version` itself ("1.2" and an installed 1.2): such a
// version ranks above every other match, as in mise (an exact installed
// version wins over a longer one the spec also prefixes, 1.2.10).
inline bool spec_names(const VersionSpec& spec, std::string_view version) {
  return spec.kind == SpecKind::Version && spec.text == version;
}

// Indexes into `versions` of every match, best first: the version the spec
// names, then the others newest first.
std::vector<std::size_t> ranked_matches(const VersionSpec& spec, std::span<const std::string> versions);

}  // namespace rtx::resolver
