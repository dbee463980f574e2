// Version strings: validation and ordering (DESIGN.md §4).
#pragma once

#include <string>
#include <string_view>

#include "resolver/expected.hpp"

namespace rtx::resolver {

inline constexpr std::size_t kMaxVersionLength = 128;

// ASCII lower case, whatever the locale (versions and names are ASCII).
inline char ascii_lower(char c) { return (c >= 'A' && c <= 'Z') ? static_cast<char>(c - 'A' + 'a') : c; }

// A version string never contains '/', NUL, "..", whitespace or control
// characters and is at most 128 bytes; refused before it touches the filesystem.
Status validate_version(std::string_view version);

// Numeric per component, prereleases below their release:
// 1.2.9 < 1.2.10, 1.2.0-rc1 < 1.2.0 < 1.2.0.1. Returns <0, 0, >0.
int compare_versions(std::string_view a, std::string_view b);

// True for versions carrying a prerelease marker (rc, alpha, a1, beta, b2, dev,
// pre, preview, nightly, snapshot, canary, next).
bool is_prerelease(std::string_view version);

}  // namespace rtx::resolver
