// Small, real filesystem helpers for the manager tests: write files and plugin
// scripts, read them back, list folders. Failures throw: they are test bugs.
#pragma once

#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <stdexcept>
#include <string>
#include <vector>

#ifndef RTX_SOURCE_DIR
#error "RTX_SOURCE_DIR must name the source tree (set by tests/manager/CMakeLists.txt)"
#endif

namespace rtx::test {

inline std::string source_dir() { return RTX_SOURCE_DIR; }
inline std::string hello_plugin_dir() { return source_dir() + "/examples/asdf-hello"; }

inline void make_dirs(const std::string& path) { std::filesystem::create_directories(path); }

inline void write_text(const std::string& path, const std::string& text, mode_t mode = 0644) {
  make_dirs(std::filesystem::path(path).parent_path().string());
  {
    std::ofstream out(path, std::ios::binary | std::ios::trunc);
    if (!out) throw std::runtime_error("cannot write " + path);
    out << text;
  }
  if (::chmod(path.c_str(), mode) != 0) throw std::runtime_error("cannot chmod " + path);
}

// A bash script (plugin step) with the usual strict header.
inline void write_script(const std::string& path, const std::string& body) {
  write_text(path, "#!/usr/bin/env bash\nset -euo pipefail\n" + body + "\n", 0755);
}

inline std::string read_text(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) return {};
  std::stringstream ss;
  ss << in.rdbuf();
  return ss.str();
}

inline bool path_exists(const std::string& path) {
  struct stat st;
  return ::lstat(path.c_str(), &st) == 0;
}

inline bool is_dir(const std::string& path) {
  struct stat st;
  return ::lstat(path.c_str(), &st) == 0 && S_ISDIR(st.st_mode);
}

inline std::string link_target(const std::string& path) {
  std::error_code ec;
  auto t = std::filesystem::read_symlink(path, ec);
  return ec ? std::string() : t.string();
}

// Every name in a folder, dot files included, sorted; empty when it is missing.
inline std::vector<std::string> list_dir(const std::string& dir) {
  std::vector<std::string> out;
  std::error_code ec;
  for (const auto& e : std::filesystem::directory_iterator(dir, ec)) out.push_back(e.path().filename().string());
  std::sort(out.begin(), out.end());
  return out;
}

// A copy of a plugin folder (bin/, src/) that a test may change.
inline void copy_tree(const std::string& from, const std::string& to) {
  std::filesystem::copy(from, to, std::filesystem::copy_options::recursive);
}

}  // namespace rtx::test
