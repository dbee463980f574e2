// Writes entries into a fresh directory tree, only ever relative to directory
// fds opened with O_NOFOLLOW, component by component: a path can never go
// through a symlink, whichever entry made it (the symlink-then-file attack),
// and nothing outside the tree is ever opened for writing.
//
// Directories are created 0700 so the extraction can always write into them;
// their modes and mtimes from the archive are applied by finish(), deepest
// first (a file written into a directory would change its mtime again).
// No owner is ever changed, and setuid, setgid and sticky bits are dropped.
#pragma once

#include <sys/stat.h>
#include <time.h>

#include <map>
#include <optional>
#include <string>
#include <string_view>

#include "manager/archive/entry_path.hpp"
#include "manager/archive/messages.hpp"
#include "resolver/expected.hpp"
#include "resolver/unique_fd.hpp"

namespace rtx::archive {

class TreeWriter {
 public:
  // `root_fd`: the tree's top directory, borrowed. `ctx` must outlive this.
  TreeWriter(int root_fd, const Context& ctx) : root_fd_(root_fd), ctx_(ctx) {}

  // `entry` in every call is the name shown in messages; `path` is not empty.
  Status make_dir(const PathParts& path, std::string_view entry, mode_t mode, std::optional<timespec> mtime);
  // A new file, opened O_WRONLY|O_CREAT|O_EXCL|O_NOFOLLOW. A non-directory an
  // earlier entry left at the same path is replaced (later entries win, as with tar).
  Expected<UniqueFd> create_file(const PathParts& path, std::string_view entry);
  // The target must already have been checked (symlink_check.hpp).
  Status make_symlink(const PathParts& path, std::string_view entry, const std::string& target,
                      std::optional<timespec> mtime);
  // `target` must be a regular file an earlier entry extracted.
  Status make_hardlink(const PathParts& path, std::string_view entry, const PathParts& target);

  bool is_plain_dir(const PathParts& path);

  // Applies the deferred directory modes and mtimes.
  Status finish();

 private:
  struct DirMeta {
    PathParts path;
    mode_t mode = 0755;  // directories the archive never names get the usual mode
    std::optional<timespec> mtime;
  };

  // The directory of the first `count` components, opened with O_NOFOLLOW at
  // each step. With `create`, missing ones are made; without, a missing one is
  // refused with `missing_reason`.
  Expected<UniqueFd> open_dir(const PathParts& path, std::size_t count, bool create, std::string_view entry,
                              std::string_view missing_reason = {});
  // The directory that holds `path`, created if needed. Cached: archives list
  // the files of a directory one after another.
  Expected<int> parent_of(const PathParts& path, std::string_view entry);
  // Makes room for a non-directory at `name`: removes what an earlier entry left
  // there, unless it is a directory.
  Status clear_slot(int dir_fd, const std::string& name, std::string_view entry);

  int root_fd_;
  const Context& ctx_;
  std::string cached_parent_;
  UniqueFd cached_parent_fd_;
  std::map<std::string, DirMeta> dirs_;  // by joined path: a parent sorts before its children
};

}  // namespace rtx::archive
