// Reading a user's config for an edit and writing it back in place
// (DESIGN.md §10): the bytes change, nothing else about the file does.
//
//   auto file = config::read_for_edit(path);          // follows a symlink to its target
//   if (!file) return Error{file.error()};
//   if (auto st = config::check_writable(*file); !st) return st;
//   return config::replace_contents(*file, new_text);  // same mode, owner, group, inode name
#pragma once

#include <sys/stat.h>

#include <cstddef>
#include <string>
#include <string_view>

#include "resolver/expected.hpp"

namespace rtx::config {

struct FileToEdit {
  std::string path;    // as the user names it (may be a symlink)
  std::string target;  // where its bytes live (realpath when it exists)
  bool exists = false;
  std::string text;
  struct stat st {};  // of the target, when it exists
};

// A config file to edit: a regular file (through any symlinks) of at most
// `max_bytes` (1 MiB; a lockfile 4 MiB), opened O_NONBLOCK so a FIFO cannot
// hang rtx. Missing: exists = false.
Expected<FileToEdit> read_for_edit(const std::string& path, std::size_t max_bytes = std::size_t(1) << 20);

// Refuses a file rtx must not rewrite: one with no write bit in its mode at all
// (0444: refused even for root, who could write it — a read-only config is
// taken as the user's "hands off"), or one this user may not write (access(2)).
Status check_writable(const FileToEdit& file);

// Writes `text` as the new contents of file.target: a temporary file in the
// target's directory, given the target's mode, owner and group, fsync,
// rename(2), fsync of the directory. A symlink stays a symlink. Refused, with
// the file unchanged, when the target changed since it was read or its owner
// cannot be kept. A file that did not exist is created (0644 less the umask).
Status replace_contents(const FileToEdit& file, std::string_view text);

}  // namespace rtx::config
