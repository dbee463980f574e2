#include "manager/config/spec_rewrite.hpp"

#include <algorithm>
#include <vector>

#include "resolver/version.hpp"

namespace rtx::config {
namespace {

std::vector<std::string_view> components(std::string_view v) {
  std::vector<std::string_view> out;
  for (std::size_t b = 0;;) {
    std::size_t dot = v.find('.', b);
    out.push_back(v.substr(b, dot == std::string_view::npos ? std::string_view::npos : dot - b));
    if (dot == std::string_view::npos) return out;
    b = dot + 1;
  }
}

bool all_digits(std::string_view s) {
  return !s.empty() && std::all_of(s.begin(), s.end(), [](char c) { return c >= '0' && c <= '9'; });
}

// A version number, as opposed to a name: it starts with a digit.
bool is_numbered(std::string_view s) { return !s.empty() && s[0] >= '0' && s[0] <= '9'; }

}  // namespace

std::string spec_to_write(std::string_view typed, std::string_view installed, SpecStyle style) {
  if (style == SpecStyle::AsTyped || typed == "system" || installed.empty()) return std::string(typed);
  if (style == SpecStyle::Pin || resolver::is_prerelease(installed)) return std::string(installed);
  std::string_view major = components(installed).front();
  return all_digits(major) ? std::string(major) : std::string(typed);
}

std::optional<std::string> bumped_spec(std::string_view old_spec, std::string_view newest) {
  if (!is_numbered(old_spec) || !is_numbered(newest)) return std::nullopt;
  const std::size_t precision = components(old_spec).size();
  const auto parts = components(newest);
  std::string out;
  for (std::size_t i = 0; i < std::min(precision, parts.size()); ++i) {
    if (i) out += '.';
    out += parts[i];
  }
  if (resolver::compare_versions(out, old_spec) <= 0) return std::nullopt;
  return out;
}

}  // namespace rtx::config
