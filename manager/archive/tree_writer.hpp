// Writes entries into a fresh directory tree, never through a symlink,
// whichever entry made it (the symlink-then-file attack), and nothing outside
// the tree is ever opened for writing. Every directory in the tree is made
// here and recorded (a trie of names): a path is known to be plain
// directories without asking the filesystem, since no entry may replace a
// directory; a known one is opened by one openat2(RESOLVE_BENEATH |
// RESOLVE_NO_SYMLINKS) from the top, a new one made and opened one component
// at a time with O_NOFOLLOW. The cost of an entry thus does not grow with its
// depth in system calls (issue 8 item 10: alternating between two deep paths
// used to walk every component of both, again and again).
//
// Directories are created 0700 so the extraction can always write into them;
// their modes and mtimes from the archive are applied by finish(), deepest
// first (a file written into a directory would change its mtime again).
// No owner is ever changed; directory modes are masked (util::kept_mode).
#pragma once

#include <sys/stat.h>
#include <time.h>

#include <cstdint>
#include <deque>
#include <optional>
#include <string>
#include <string_view>
#include <unordered_map>

#include "manager/archive/entry_path.hpp"
#include "manager/archive/messages.hpp"
#include "resolver/expected.hpp"
#include "resolver/unique_fd.hpp"

namespace rtx::archive {

class TreeWriter {
 public:
  // `root_fd`: the tree's top directory, borrowed, empty. `ctx` must outlive this.
  TreeWriter(int root_fd, const Context& ctx);

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

  // A directory this writer made (no system call).
  bool is_plain_dir(const PathParts& path) const;

  // Applies the deferred directory modes and mtimes.
  Status finish();

  // Directories opened so far (each an openat or openat2): what a test reads
  // to see that extraction stays linear in entries.
  std::uint64_t dir_opens() const { return dir_opens_; }

 private:
  using NodeId = std::uint32_t;
  static constexpr NodeId kRoot = 0;

  struct DirNode {
    NodeId parent = kRoot;
    std::uint32_t depth = 0;  // components below the root
    std::string name;
    mode_t mode = 0755;  // directories the archive never names get the usual mode
    std::optional<timespec> mtime;
  };
  struct ChildKey {
    NodeId parent;
    std::string_view name;  // into the child's DirNode (a deque: never moves)
    bool operator==(const ChildKey&) const = default;
  };
  struct ChildHash {
    std::size_t operator()(const ChildKey& k) const noexcept;
  };

  std::optional<NodeId> child(NodeId parent, std::string_view name) const;
  NodeId add_dir(NodeId parent, const std::string& name);
  // The node of the first `count` components, if all are directories made here.
  std::optional<NodeId> find_dir(const PathParts& path, std::size_t count) const;
  std::string node_path(NodeId node) const;
  // Opens a directory made here, by one system call.
  Expected<UniqueFd> open_known(NodeId node, std::string_view entry);
  // The directory of the first `count` components, the missing ones made.
  Expected<UniqueFd> make_dirs(const PathParts& path, std::size_t count, std::string_view entry, NodeId& node);
  // The directory that holds `path`, created if needed. Cached: archives list
  // the files of a directory one after another.
  Expected<int> parent_of(const PathParts& path, std::string_view entry);
  // Why the first `count` components of `path` are not a directory made here:
  // a symlink or a file on the way, or `missing_reason`.
  std::string explain_not_dir(const PathParts& path, std::size_t count, std::string_view entry,
                              std::string_view missing_reason);
  // Makes room for a non-directory at `name`: removes what an earlier entry left
  // there, unless it is a directory.
  Status clear_slot(int dir_fd, const std::string& name, std::string_view entry);

  int root_fd_;
  const Context& ctx_;
  std::deque<DirNode> nodes_;  // [kRoot]: the tree's top
  std::unordered_map<ChildKey, NodeId, ChildHash> children_;
  std::string cached_parent_;
  NodeId cached_parent_node_ = kRoot;
  UniqueFd cached_parent_fd_;
  std::uint64_t dir_opens_ = 0;
};

}  // namespace rtx::archive
