// Thin helpers over POSIX for the write side of the store.
#pragma once

#include <string>
#include <vector>

#include "resolver/expected.hpp"

namespace rtx::util {

// mkdir -p; errors name the path and the reason.
Status make_dirs(const std::string& path);

// fsync of a directory, so a rename in it is durable.
void fsync_dir(const std::string& dir);

std::string parent_dir(const std::string& path);

// rm -rf that never follows symlinks out of the tree.
Status remove_tree(const std::string& path);

bool exists(const std::string& path);  // lstat succeeds

// The directory holding this executable (/proc/self/exe).
std::string self_dir();

std::string errno_text();

// The non-empty lines of a file; none when it is missing.
std::vector<std::string> read_lines(const std::string& path);

// Absolute, lexically normalised path (no symlink resolution).
std::string absolute(const std::string& path, const std::string& cwd);

}  // namespace rtx::util
