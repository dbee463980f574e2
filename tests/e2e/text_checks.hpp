// Small text and file checks the end-to-end tests share (one definition: the
// test files are compiled into one executable, several at a time).
#pragma once

#include <sys/stat.h>

#include <algorithm>
#include <string>

namespace rtx::e2e {

// Lines in `s`, counted by newline: "one error line" is lines(err) == 1.
inline int lines(const std::string& s) { return int(std::count(s.begin(), s.end(), '\n')); }

inline bool has(const std::string& text, const std::string& part) { return text.find(part) != std::string::npos; }

inline std::string first_line(const std::string& s) { return s.substr(0, s.find('\n')); }

// lstat's st_mode (type and permission bits) of `path`, 0 when absent.
inline mode_t mode_of(const std::string& path) {
  struct stat st;
  return ::lstat(path.c_str(), &st) == 0 ? st.st_mode : 0;
}

}  // namespace rtx::e2e
