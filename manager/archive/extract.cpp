#include "manager/archive/extract.hpp"

#include <archive_entry.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <optional>

#include "manager/archive/archive_reader.hpp"
#include "manager/archive/entry_path.hpp"
#include "manager/archive/file_data.hpp"
#include "manager/archive/messages.hpp"
#include "manager/archive/staging_dir.hpp"
#include "manager/archive/symlink_check.hpp"
#include "manager/archive/tree_writer.hpp"
#include "manager/util/modes.hpp"

namespace rtx::archive {
namespace {

std::optional<timespec> entry_mtime(archive_entry* entry) {
  if (!archive_entry_mtime_is_set(entry)) return std::nullopt;
  return timespec{archive_entry_mtime(entry), archive_entry_mtime_nsec(entry)};
}

// Why a kind of entry is never extracted; nullptr for the kinds we write.
const char* refused_kind(mode_t type) {
  switch (type) {
    case AE_IFREG:
    case AE_IFDIR:
    case AE_IFLNK:
      return nullptr;
    case AE_IFCHR:
    case AE_IFBLK:
      return "is a device file";
    case AE_IFIFO:
      return "is a FIFO";
    case AE_IFSOCK:
      return "is a socket";
    default:
      return "has a type rtx does not extract";
  }
}

class EntryExtractor {
 public:
  EntryExtractor(struct archive* reader, int root_fd, const ExtractRequest& request, const Context& ctx)
      : reader_(reader),
        request_(request),
        ctx_(ctx),
        tree_(root_fd, ctx),
        budget_(request.max_total_bytes, request.max_entries) {}

  Expected<ExtractStats> run() {
    for (;;) {
      archive_entry* entry = nullptr;
      int rc = archive_read_next_header(reader_, &entry);
      if (rc == ARCHIVE_EOF) break;
      // ARCHIVE_WARN: e.g. a name not convertible to the locale; the raw name is kept.
      if (rc < ARCHIVE_WARN) return make_error(read_failure(ctx_, archive_error(reader_)));
      if (auto done = one_entry(entry); !done) return make_error(done.error());
    }
    if (auto finished = tree_.finish(); !finished) return make_error(finished.error());
    stats_.bytes = budget_.written();
    stats_.dir_opens = tree_.dir_opens();
    return stats_;
  }

 private:
  Status one_entry(archive_entry* entry) {
    const char* raw = archive_entry_pathname(entry);
    if (!raw) raw = archive_entry_pathname_utf8(entry);
    if (!raw) return make_error(read_failure(ctx_, "an entry has no name"));
    if (!budget_.add_entry())
      return make_error(
          refusal(ctx_, raw, "is past the limit of " + std::to_string(budget_.max_entries()) + " entries"));
    auto parts = split_entry_path(raw);
    if (!parts) return make_error(refusal(ctx_, raw, parts.error()));
    const char* hardlink = archive_entry_hardlink(entry);
    mode_t type = archive_entry_filetype(entry);
    // Refused even where strip_components would drop them: such an archive is not to be trusted.
    if (const char* why = hardlink ? nullptr : refused_kind(type)) return make_error(refusal(ctx_, raw, why));
    PathParts path = strip_components(std::move(*parts), request_.strip_components);
    if (path.empty()) return ok_status();
    ++stats_.entries;
    if (hardlink) return make_hardlink(path, raw, hardlink);
    // DESIGN.md §2: no group/world write, no setuid, setgid or sticky.
    mode_t mode = util::kept_mode(archive_entry_perm(entry));
    switch (type) {
      case AE_IFDIR:
        return tree_.make_dir(path, raw, mode, entry_mtime(entry));
      case AE_IFLNK:
        return make_symlink(path, raw, entry);
      default:
        return write_file(path, raw, entry, mode);
    }
  }

  Status write_file(const PathParts& path, const char* raw, archive_entry* entry, mode_t mode) {
    std::optional<std::uint64_t> declared;
    if (archive_entry_size_is_set(entry) && archive_entry_size(entry) >= 0) {
      declared = std::uint64_t(archive_entry_size(entry));
      if (!budget_.declare(*declared))
        return make_error(refusal(ctx_, raw,
                                  "declares " + human_size(*declared) +
                                      ", which takes the expanded size past the limit of " +
                                      human_size(budget_.max_bytes())));
    }
    auto file = tree_.create_file(path, raw);
    if (!file) return make_error(file.error());
    if (auto data = write_file_data(reader_, file->get(), raw, declared, budget_, ctx_); !data) return data;
    if (::fchmod(file->get(), mode) != 0) return make_error(write_failure(ctx_, raw, errno));
    if (auto mtime = entry_mtime(entry)) {
      timespec times[2] = {{0, UTIME_OMIT}, *mtime};
      if (::futimens(file->get(), times) != 0) return make_error(write_failure(ctx_, raw, errno));
    }
    // close(2) is where some filesystems (NFS, quotas) report a failed write.
    if (::close(file->release()) != 0) return make_error(write_failure(ctx_, raw, errno));
    return ok_status();
  }

  Status make_symlink(const PathParts& path, const char* raw, archive_entry* entry) {
    const char* target = archive_entry_symlink(entry);
    if (!target) target = archive_entry_symlink_utf8(entry);
    if (!target) return make_error(refusal(ctx_, raw, "is a symlink without a target"));
    PathParts dir(path.begin(), path.end() - 1);
    auto inside = check_symlink_target(dir, target, [this](const PathParts& p) { return tree_.is_plain_dir(p); });
    if (!inside) return make_error(refusal(ctx_, raw, inside.error()));
    return tree_.make_symlink(path, raw, target, entry_mtime(entry));
  }

  Status make_hardlink(const PathParts& path, const char* raw, const char* hardlink) {
    auto target = split_entry_path(hardlink);
    if (!target) return make_error(refusal(ctx_, raw, "is a hardlink whose target " + target.error()));
    PathParts stripped = strip_components(std::move(*target), request_.strip_components);
    if (stripped.empty())
      return make_error(
          refusal(ctx_, raw, "is a hardlink to '" + printable(hardlink) + "', which strip_components removes"));
    return tree_.make_hardlink(path, raw, stripped);
  }

  struct archive* reader_;
  const ExtractRequest& request_;
  const Context& ctx_;
  TreeWriter tree_;
  Budget budget_;
  ExtractStats stats_;
};

std::string without_trailing_slashes(std::string path) {
  while (path.size() > 1 && path.back() == '/') path.pop_back();
  return path;
}

}  // namespace

Expected<ExtractStats> extract(const ExtractRequest& request) {
  Context ctx;
  ctx.archive = request.archive;
  ctx.destination = without_trailing_slashes(request.destination);
  if (ctx.destination.empty() || ctx.destination == "/")
    return make_error("cannot extract " + ctx.archive + " into '" + ctx.destination + "': name a new directory");
  if (request.strip_components < 0)
    return make_error("cannot extract " + ctx.archive + ": strip_components is negative (" +
                      std::to_string(request.strip_components) + "): use 0 or more");
  // The archive is opened first: a missing download creates nothing.
  auto reader = open_archive(ctx);
  if (!reader) return make_error(reader.error());
  auto staging = StagingDir::create(ctx);
  if (!staging) return make_error(staging.error());
  auto stats = EntryExtractor(reader->get(), staging->fd(), request, ctx).run();
  if (!stats) {
    Status gone = staging->discard();
    return make_error(stats.error() + (gone ? std::string() : " (and " + gone.error() + ")"));
  }
  if (auto moved = staging->commit(); !moved) return make_error(moved.error());
  return stats;
}

}  // namespace rtx::archive
