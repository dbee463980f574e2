#include "manager/archive/tree_writer.hpp"

#include <fcntl.h>
#include <unistd.h>

#include <cerrno>
#include <cstddef>

namespace rtx::archive {
namespace {

constexpr int kDirFlags = O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC;
constexpr mode_t kPermissionBits = 0777;  // never setuid, setgid or sticky

std::string quoted(const PathParts& path, std::size_t count = std::size_t(-1)) {
  return "'" + printable(join_parts(path, count)) + "'";
}

// What is at `name` in `dir_fd`, without following a symlink; 0 if nothing.
mode_t kind_at(int dir_fd, const std::string& name) {
  struct stat st;
  return ::fstatat(dir_fd, name.c_str(), &st, AT_SYMLINK_NOFOLLOW) == 0 ? st.st_mode & S_IFMT : 0;
}

}  // namespace

Expected<UniqueFd> TreeWriter::open_dir(const PathParts& path, std::size_t count, bool create, std::string_view entry,
                                        std::string_view missing_reason) {
  UniqueFd at(::fcntl(root_fd_, F_DUPFD_CLOEXEC, 0));
  if (!at.valid()) return make_error(write_failure(ctx_, entry, errno));
  for (std::size_t i = 0; i < count && i < path.size(); ++i) {
    const std::string& name = path[i];
    int fd = ::openat(at.get(), name.c_str(), kDirFlags);
    if (fd < 0 && errno == ENOENT && create) {
      if (::mkdirat(at.get(), name.c_str(), 0700) != 0 && errno != EEXIST)
        return make_error(write_failure(ctx_, entry, errno));
      std::string key = join_parts(path, i + 1);
      if (!dirs_.count(key)) dirs_[key].path.assign(path.begin(), path.begin() + std::ptrdiff_t(i + 1));
      fd = ::openat(at.get(), name.c_str(), kDirFlags);
    }
    if (fd < 0) {
      int err = errno;
      mode_t kind = kind_at(at.get(), name);
      if (kind == S_IFLNK)
        return make_error(
            refusal(ctx_, entry, "goes through " + quoted(path, i + 1) + ", a symlink made by an earlier entry"));
      if (kind != 0 && kind != S_IFDIR)
        return make_error(refusal(
            ctx_, entry, "needs " + quoted(path, i + 1) + " to be a directory, but an earlier entry made it a file"));
      if (kind == 0 && !create) return make_error(refusal(ctx_, entry, missing_reason));
      return make_error(write_failure(ctx_, entry, err));
    }
    at.reset(fd);
  }
  return at;
}

Expected<int> TreeWriter::parent_of(const PathParts& path, std::string_view entry) {
  std::string key = join_parts(path, path.size() - 1);
  if (cached_parent_fd_.valid() && key == cached_parent_) return cached_parent_fd_.get();
  auto fd = open_dir(path, path.size() - 1, true, entry);
  if (!fd) return make_error(fd.error());
  cached_parent_fd_ = std::move(*fd);
  cached_parent_ = std::move(key);
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
  if (::mkdirat(*parent, name.c_str(), 0700) != 0) {
    int err = errno;
    mode_t kind = kind_at(*parent, name);
    if (kind != S_IFDIR) {
      if (kind == 0) return make_error(write_failure(ctx_, entry, err));
      return make_error(refusal(ctx_, entry, "is a directory, but an earlier entry made it a file or symlink"));
    }
  }
  DirMeta& meta = dirs_[join_parts(path)];
  meta.path = path;
  meta.mode = mode & kPermissionBits;
  meta.mtime = mtime;
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
  auto target_dir = open_dir(target, target.size() - 1, false, entry, missing);
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

bool TreeWriter::is_plain_dir(const PathParts& path) { return open_dir(path, path.size(), false, {}).ok(); }

Status TreeWriter::finish() {
  cached_parent_fd_.reset();
  for (auto it = dirs_.rbegin(); it != dirs_.rend(); ++it) {
    const DirMeta& meta = it->second;
    auto dir = open_dir(meta.path, meta.path.size(), false, it->first, "disappeared during extraction");
    if (!dir) return make_error(dir.error());
    if (::fchmod(dir->get(), meta.mode) != 0) return make_error(write_failure(ctx_, it->first, errno));
    if (meta.mtime) {
      timespec times[2] = {{0, UTIME_OMIT}, *meta.mtime};
      if (::futimens(dir->get(), times) != 0) return make_error(write_failure(ctx_, it->first, errno));
    }
  }
  return ok_status();
}

}  // namespace rtx::archive
