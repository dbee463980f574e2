// Thin POSIX helpers for the read side: no iostreams, no exceptions.
#pragma once

#include <string>

namespace rtx::resolver {

// Reads a whole file. Returns 0, or the errno of the failure (ENOENT when absent).
int read_file(const std::string& path, std::string& out);

// The target of a symlink, or an empty string with errno set.
std::string read_link(const std::string& path);

bool is_executable_file(const std::string& path);

}  // namespace rtx::resolver
