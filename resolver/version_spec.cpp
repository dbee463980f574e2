#include "resolver/version_spec.hpp"

#include <algorithm>

#include "resolver/version.hpp"

namespace rtx::resolver {

namespace {

// node's LTS names, as nvm and mise spell them: "lts/Iron", "lts-iron" and
// "LTS-Iron" are all "lts-iron" (the name of the alias link, DESIGN.md §2).
bool is_lts_name(std::string_view text) {
  if (text.size() < 5) return false;
  for (int i = 0; i < 3; ++i)
    if (ascii_lower(text[i]) != "lts"[i]) return false;
  return text[3] == '/' || text[3] == '-';
}

}  // namespace

Expected<VersionSpec> parse_spec(std::string_view text) {
  if (text == "latest") return VersionSpec{SpecKind::Latest, std::string(text)};
  if (text == "system") return VersionSpec{SpecKind::System, std::string(text)};
  std::string spec(text);
  if (is_lts_name(text)) {
    std::transform(spec.begin(), spec.end(), spec.begin(), ascii_lower);
    spec[3] = '-';
  }
  if (auto st = validate_version(spec); !st) return Error{st.error()};
  return VersionSpec{SpecKind::Version, std::move(spec)};
}

bool spec_matches(const VersionSpec& spec, std::string_view version) {
  switch (spec.kind) {
    case SpecKind::System:
      return false;
    case SpecKind::Latest:
      return !is_prerelease(version);
    case SpecKind::Version:
      break;
  }
  std::string_view s = spec.text;
  if (version == s) return true;
  if (version.size() <= s.size() || version.substr(0, s.size()) != s) return false;
  char next = version[s.size()];
  if (next != '.' && next != '-' && next != '+' && next != '_') return false;
  return !is_prerelease(version);
}

std::vector<std::size_t> ranked_matches(const VersionSpec& spec, std::span<const std::string> versions) {
  std::vector<std::size_t> out;
  for (std::size_t i = 0; i < versions.size(); ++i)
    if (spec_matches(spec, versions[i])) out.push_back(i);
  std::sort(out.begin(), out.end(), [&](std::size_t a, std::size_t b) {
    bool named_a = spec_names(spec, versions[a]);
    if (named_a != spec_names(spec, versions[b])) return named_a;
    return compare_versions(versions[a], versions[b]) > 0;
  });
  return out;
}

}  // namespace rtx::resolver
