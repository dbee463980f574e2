#include "manager/archive/tree_writer.hpp"

#include <fcntl.h>
#include <linux/openat2.h>
#include <sys/syscall.h>
#include <unistd.h>

#include <atomic>
#include <cerrno>
#include <cstddef>
#include <functional>
#include <vector>

#include "manager/util/modes.hpp"

namespace rtx::archive {
namespace {

constexpr int kDirFlags = O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC;

std::string quoted(const PathParts& path, std::size_t count = std::size_t(-1)) {
  return "'" + printable(join_parts(path, count)) + "'";
}

// What is at `name` in `dir_fd`, without following a symlink; 0 if nothing.
mode_t kind_at(int dir_fd, const std::string& name) {
  struct stat st;
  return ::fstatat(dir_fd, name.c_str(), &st, AT_SYMLINK_NOFOLLOW) == 0 ? st.st_mode & S_IFMT : 0;
}

// `relative` (below `root_fd`, known to be plain directories) in one call.
// openat2 refuses any symlink on the way, as a defence in depth; where the
// kernel or a seccomp filter lacks it, plain openat relies on what the writer
// knows: no entry can turn one of its directories into anything else, and
// nobody else can write in the 0700 staging directory.
int open_beneath(int root_fd, const std::string& relative) {
  static std::atomic<bool> no_openat2{false};
  if (!no_openat2.load(std::memory_order_relaxed)) {
    open_how how{};
    how.flags = kDirFlags;
    how.resolve = RESOLVE_BENEATH | RESOLVE_NO_SYMLINKS | RESOLVE_NO_MAGICLINKS;
    long fd = ::syscall(SYS_openat2, root_fd, relative.c_str(), &how, sizeof how);
    if (fd >= 0 || (errno != ENOSYS && errno != EPERM)) return int(fd);
    no_openat2.store(true, std::memory_order_relaxed);
  }
  return ::openat(root_fd, relative.c_str(), kDirFlags);
}

}  // namespace

std::size_t TreeWriter::ChildHash::operator()(const ChildKey& k) const noexcept {
  return std::hash<std::string_view>()(k.name) * 31 + k.parent;
}

TreeWriter::TreeWriter(int root_fd, const Context& ctx) : root_fd_(root_fd), ctx_(ctx) { nodes_.emplace_back(); }

std::optional<TreeWriter::NodeId> TreeWriter::child(NodeId parent, std::string_view name) const {
  auto it = children_.find(ChildKey{parent, name});
  if (it == children_.end()) return std::nullopt;
  return it->second;
}

TreeWriter::NodeId TreeWriter::add_dir(NodeId parent, const std::string& name) {
  if (auto known = child(parent, name)) return *known;
  NodeId id = NodeId(nodes_.size());
  DirNode& node = nodes_.emplace_back();
  node.parent = parent;
  node.depth = nodes_[parent].depth + 1;
  node.name = name;
  children_.emplace(ChildKey{parent, node.name}, id);
  return id;
}

std::optional<TreeWriter::NodeId> TreeWriter::find_dir(const PathParts& path, std::size_t count) const {
  NodeId at = kRoot;
  for (std::size_t i = 0; i < count && i < path.size(); ++i) {
    auto next = child(at, path[i]);
    if (!next) return std::nullopt;
    at = *next;
  }
  return at;
}

std::string TreeWriter::node_path(NodeId node) const {
  std::vector<const std::string*> names;
  for (NodeId at = node; at != kRoot; at = nodes_[at].parent) names.push_back(&nodes_[at].name);
  std::string out;
  for (auto it = names.rbegin(); it != names.rend(); ++it) {
    if (!out.empty()) out += '/';
    out += **it;
  }
  return out;
}

Expected<UniqueFd> TreeWriter::open_known(NodeId node, std::string_view entry) {
  ++dir_opens_;
  UniqueFd fd(node == kRoot ? ::fcntl(root_fd_, F_DUPFD_CLOEXEC, 0) : open_beneath(root_fd_, node_path(node)));
  if (!fd.valid()) return make_error(write_failure(ctx_, entry, errno));
  return fd;
}

std::string TreeWriter::explain_not_dir(const PathParts& path, std::size_t count, std::string_view entry,
                                        std::string_view missing_reason) {
  // Only on the way to an error: the walk may cost a call per component.
  UniqueFd at(::fcntl(root_fd_, F_DUPFD_CLOEXEC, 0));
  for (std::size_t i = 0; at.valid() && i < count && i < path.size(); ++i) {
    const std::string& name = path[i];
    int fd = ::openat(at.get(), name.c_str(), kDirFlags);
    if (fd >= 0) {
      at.reset(fd);
      continue;
    }
    int err = errno;
    mode_t kind = kind_at(at.get(), name);
    if (kind == S_IFLNK)
      return refusal(ctx_, entry, "goes through " + quoted(path, i + 1) + ", a symlink made by an earlier entry");
    if (kind != 0 && kind != S_IFDIR)
      return refusal(ctx_, entry,
                     "needs " + quoted(path, i + 1) + " to be a directory, but an earlier entry made it a file");
    if (kind == 0) return refusal(ctx_, entry, missing_reason);
    return write_failure(ctx_, entry, err);
  }
  return refusal(ctx_, entry, missing_reason);
}

Expected<UniqueFd> TreeWriter::make_dirs(const PathParts& path, std::size_t count, std::string_view entry,
                                         NodeId& node) {
  count = std::min(count, path.size());
  // The deepest prefix already made: opened in one call, the rest made below it.
  NodeId at_node = kRoot;
  std::size_t known = 0;
  while (known < count) {
    auto next = child(at_node, path[known]);
    if (!next) break;
    at_node = *next;
    ++known;
  }
  auto at = open_known(at_node, entry);
  if (!at) return at;
  for (std::size_t i = known; i < count; ++i) {
    const std::string& name = path[i];
    if (::mkdirat(at->get(), name.c_str(), 0700) != 0) {
      int err = errno;
      mode_t kind = kind_at(at->get(), name);
      if (kind == S_IFLNK)
        return make_error(
            refusal(ctx_, entry, "goes through " + quoted(path, i + 1) + ", a symlink made by an earlier entry"));
      if (kind != 0 && kind != S_IFDIR)
        return make_error(refusal(
            ctx_, entry, "needs " + quoted(path, i + 1) + " to be a directory, but an earlier entry made it a file"));
      if (kind != S_IFDIR) return make_error(write_failure(ctx_, entry, err));
    }
    ++dir_opens_;
    int fd = ::openat(at->get(), name.c_str(), kDirFlags);
    if (fd < 0) return make_error(write_failure(ctx_, entry, errno));
    at->reset(fd);
    at_node = add_dir(at_node, name);
  }
  node = at_node;
  return at;
}

Expected<int> TreeWriter::parent_of(const PathParts& path, std::string_view entry) {
  std::string key = join_parts(path, path.size() - 1);
  if (cached_parent_fd_.valid() && key == cached_parent_) return cached_parent_fd_.get();
  NodeId node = kRoot;
  auto fd = make_dirs(path, path.size() - 1, entry, node);
  if (!fd) return make_error(fd.error());
  cached_parent_fd_ = std::move(*fd);
  cached_parent_ = std::move(key);
  cached_parent_node_ = node;
  return cached_parent_fd_.get();
}

Status TreeWriter::clear_slot(int dir_fd, const std::string& name, std::string_view entry) {
  mode_t kind = kind_at(dir_fd, name);
  if (kind == S_IFDIR) return make_error(refusal(ctx_, entry, "replaces a directory an earlier entry made"));
  if (kind != 0 && ::unlinkat(dir_fd, name.c_str(), 0) != 0) return make_error(write_failure(ctx_, entry, errno));
  return ok_status();
}

Status TreeWriter::make_dir(const PathParts& path, std::string_view entry, mode_t mode, std::optional<timespec> mtime) {
  auto parent = parent_of(path, entry);
  if (!parent) return make_error(parent.error());
  const std::string& name = path.back();
  if (!child(cached_parent_node_, name) && ::mkdirat(*parent, name.c_str(), 0700) != 0) {
    int err = errno;
    if (kind_at(*parent, name) == 0) return make_error(write_failure(ctx_, entry, err));
    return make_error(refusal(ctx_, entry, "is a directory, but an earlier entry made it a file or symlink"));
  }
  DirNode& node = nodes_[add_dir(cached_parent_node_, name)];
  node.mode = util::kept_mode(mode);
  node.mtime = mtime;
  return ok_status();
}

Expected<UniqueFd> TreeWriter::create_file(const PathParts& path, std::string_view entry) {
  auto parent = parent_of(path, entry);
  if (!parent) return make_error(parent.error());
  const std::string& name = path.back();
  constexpr int kFlags = O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC;
  int fd = ::openat(*parent, name.c_str(), kFlags, 0600);
  if (fd < 0 && errno == EEXIST) {
    if (auto cleared = clear_slot(*parent, name, entry); !cleared) return make_error(cleared.error());
    fd = ::openat(*parent, name.c_str(), kFlags, 0600);
  }
  if (fd < 0) return make_error(write_failure(ctx_, entry, errno));
  return UniqueFd(fd);
}

Status TreeWriter::make_symlink(const PathParts& path, std::string_view entry, const std::string& target,
                                std::optional<timespec> mtime) {
  auto parent = parent_of(path, entry);
  if (!parent) return make_error(parent.error());
  const std::string& name = path.back();
  int rc = ::symlinkat(target.c_str(), *parent, name.c_str());
  if (rc != 0 && errno == EEXIST) {
    if (auto cleared = clear_slot(*parent, name, entry); !cleared) return cleared;
    rc = ::symlinkat(target.c_str(), *parent, name.c_str());
  }
  if (rc != 0) return make_error(write_failure(ctx_, entry, errno));
  if (mtime) {
    timespec times[2] = {{0, UTIME_OMIT}, *mtime};
    ::utimensat(*parent, name.c_str(), times, AT_SYMLINK_NOFOLLOW);  // cosmetic: not every filesystem keeps it
  }
  return ok_status();
}

Status TreeWriter::make_hardlink(const PathParts& path, std::string_view entry, const PathParts& target) {
  if (target == path) return ok_status();  // a link to itself: the file is already there
  const std::string missing = "is a hardlink to " + quoted(target) + ", which no earlier entry extracted";
  auto target_node = find_dir(target, target.size() - 1);
  if (!target_node) return make_error(explain_not_dir(target, target.size() - 1, entry, missing));
  auto target_dir = open_known(*target_node, entry);
  if (!target_dir) return make_error(target_dir.error());
  mode_t kind = kind_at(target_dir->get(), target.back());
  if (kind == 0) return make_error(refusal(ctx_, entry, missing));
  // A second name for a symlink would resolve from another directory, and
  // could then point outside: only regular files may be linked.
  if (kind != S_IFREG)
    return make_error(refusal(ctx_, entry, "is a hardlink to " + quoted(target) + ", which is not a regular file"));
  auto parent = parent_of(path, entry);
  if (!parent) return make_error(parent.error());
  const std::string& name = path.back();
  int rc = ::linkat(target_dir->get(), target.back().c_str(), *parent, name.c_str(), 0);
  if (rc != 0 && errno == EEXIST) {
    if (auto cleared = clear_slot(*parent, name, entry); !cleared) return cleared;
    rc = ::linkat(target_dir->get(), target.back().c_str(), *parent, name.c_str(), 0);
  }
  if (rc != 0) return make_error(write_failure(ctx_, entry, errno));
  return ok_status();
}

bool TreeWriter::is_plain_dir(const PathParts& path) const { return find_dir(path, path.size()).has_value(); }

Status TreeWriter::finish() {
  cached_parent_fd_.reset();
  // Deepest first, by depth buckets: children before their parent, in time
  // linear in directories (no sort of long path strings).
  std::vector<std::vector<NodeId>> by_depth;
  for (NodeId id = 1; id < nodes_.size(); ++id) {
    std::size_t depth = nodes_[id].depth;
    if (by_depth.size() <= depth) by_depth.resize(depth + 1);
    by_depth[depth].push_back(id);
  }
  for (auto level = by_depth.rbegin(); level != by_depth.rend(); ++level) {
    for (NodeId id : *level) {
      const DirNode& node = nodes_[id];
      std::string shown = node_path(id);
      auto dir = open_known(id, shown);
      if (!dir) return make_error(dir.error());
      if (::fchmod(dir->get(), node.mode) != 0) return make_error(write_failure(ctx_, shown, errno));
      if (node.mtime) {
        timespec times[2] = {{0, UTIME_OMIT}, *node.mtime};
        if (::futimens(dir->get(), times) != 0) return make_error(write_failure(ctx_, shown, errno));
      }
    }
  }
  return ok_status();
}

}  // namespace rtx::archive
