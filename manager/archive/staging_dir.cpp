#include "manager/archive/staging_dir.hpp"

#include <dirent.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>

#include "manager/util/fs.hpp"
#include "manager/util/modes.hpp"

namespace rtx::archive {
namespace {

constexpr std::string_view kMarker = ".extract-";

bool is_empty_dir(const std::string& path) {
  DIR* dir = ::opendir(path.c_str());
  if (!dir) return false;
  bool empty = true;
  while (dirent* e = ::readdir(dir)) {
    if (std::strcmp(e->d_name, ".") != 0 && std::strcmp(e->d_name, "..") != 0) {
      empty = false;
      break;
    }
  }
  ::closedir(dir);
  return empty;
}

std::string base_name(const std::string& path) {
  auto slash = path.rfind('/');
  return slash == std::string::npos ? path : path.substr(slash + 1);
}

}  // namespace

bool is_staging_name(std::string_view name) {
  auto at = name.rfind(kMarker);
  return name.size() > 1 && name.front() == '.' && at != std::string_view::npos && at > 1 &&
         name.size() - at - kMarker.size() == 6;
}

Expected<StagingDir> StagingDir::create(const Context& ctx) {
  const std::string& dest = ctx.destination;
  struct stat st;
  bool replace = false;
  mode_t mode = 0755;
  if (::lstat(dest.c_str(), &st) == 0) {
    if (!S_ISDIR(st.st_mode) || !is_empty_dir(dest))
      return make_error("cannot extract " + ctx.archive + " into " + dest +
                        ": it exists and is not an empty directory: remove it or choose another destination");
    replace = true;
    mode = util::kept_mode(st.st_mode);  // even an empty 0777 prefix ends up 0755
  } else if (errno != ENOENT) {
    return make_error("cannot extract " + ctx.archive + " into " + dest + ": " + util::errno_text() +
                      ": check the permissions of its folder");
  }
  std::string parent = util::parent_dir(dest);
  std::string tmpl = parent + "/." + base_name(dest) + std::string(kMarker) + "XXXXXX";
  if (!::mkdtemp(tmpl.data())) {
    if (errno == ENOENT)
      return make_error("cannot extract " + ctx.archive + " into " + dest + ": its folder " + parent +
                        " does not exist: create it first");
    if (errno == ENOSPC)
      return make_error("no space left on device while extracting " + ctx.archive + " into " + dest +
                        ": free some space");
    return make_error("cannot extract " + ctx.archive + " into " + dest + ": cannot create a folder in " + parent +
                      ": " + util::errno_text() + ": check its permissions");
  }
  UniqueFd fd(::open(tmpl.c_str(), O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC));
  if (!fd.valid()) {
    std::string why = util::errno_text();
    ::rmdir(tmpl.c_str());
    return make_error("cannot extract " + ctx.archive + " into " + dest + ": cannot open " + tmpl + ": " + why);
  }
  return StagingDir(ctx, std::move(tmpl), std::move(fd), mode, replace);
}

StagingDir::StagingDir(const Context& ctx, std::string path, UniqueFd fd, mode_t mode, bool replace)
    : ctx_(&ctx), path_(std::move(path)), fd_(std::move(fd)), mode_(mode), replace_(replace) {}

StagingDir::StagingDir(StagingDir&& o) noexcept
    : ctx_(o.ctx_),
      path_(std::move(o.path_)),
      fd_(std::move(o.fd_)),
      mode_(o.mode_),
      replace_(o.replace_),
      done_(std::exchange(o.done_, true)) {}

StagingDir::~StagingDir() {
  if (!done_) (void)discard();  // an error already on its way out says what went wrong first
}

Status StagingDir::discard() {
  done_ = true;
  fd_.reset();
  return util::remove_tree(path_);
}

Status StagingDir::commit() {
  const std::string& dest = ctx_->destination;
  auto fail = [&](const std::string& why) {
    Status gone = discard();
    return make_error("cannot move the extracted tree into " + dest + ": " + why +
                      (gone ? std::string() : " (and " + gone.error() + ")"));
  };
  if (::fchmod(fd_.get(), mode_) != 0) return fail(util::errno_text());
  int rc;
  if (replace_) {
    rc = ::rename(path_.c_str(), dest.c_str());  // only over an empty directory
  } else {
    rc = ::renameat2(AT_FDCWD, path_.c_str(), AT_FDCWD, dest.c_str(), RENAME_NOREPLACE);
    if (rc != 0 && errno == EINVAL) {  // a filesystem without RENAME_NOREPLACE
      struct stat st;
      rc = ::lstat(dest.c_str(), &st) == 0 ? (errno = EEXIST, -1) : ::rename(path_.c_str(), dest.c_str());
    }
  }
  if (rc != 0) {
    if (errno == EEXIST || errno == ENOTEMPTY) return fail("something else created it meanwhile: remove it and retry");
    return fail(util::errno_text());
  }
  done_ = true;
  fd_.reset();
  util::fsync_dir(util::parent_dir(dest));
  return ok_status();
}

}  // namespace rtx::archive
