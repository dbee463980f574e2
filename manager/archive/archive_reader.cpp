#include "manager/archive/archive_reader.hpp"

#include <fcntl.h>

#include <cerrno>
#include <cstring>

namespace rtx::archive {
namespace {

// Big reads: fewer syscalls, and the decompressors run on long stretches.
constexpr std::size_t kReadBlock = 1 << 20;

}  // namespace

std::string archive_error(struct archive* a) {
  const char* text = archive_error_string(a);
  if (text && *text) return text;
  int err = archive_errno(a);
  return err ? std::strerror(err) : "unknown libarchive error";
}

Expected<OpenArchive> open_archive(const Context& ctx) {
  OpenArchive source;
  source.fd.reset(::open(ctx.archive.c_str(), O_RDONLY | O_CLOEXEC));
  if (!source.fd.valid())
    return make_error("cannot open archive " + ctx.archive + " to extract it into " + ctx.destination + ": " +
                      std::strerror(errno) + ": check that the download finished");
  ::posix_fadvise(source.fd.get(), 0, 0, POSIX_FADV_SEQUENTIAL);
  source.reader.reset(archive_read_new());
  if (!source.reader) return make_error("cannot extract " + ctx.archive + ": out of memory");
  archive_read_support_filter_all(source.get());
  archive_read_support_format_tar(source.get());  // ustar, pax, GNU tar
  archive_read_support_format_zip(source.get());
  // Opening already sniffs the compression: an error here is about the content.
  if (archive_read_open_fd(source.get(), source.fd.get(), kReadBlock) != ARCHIVE_OK)
    return make_error(read_failure(ctx, archive_error(source.get())));
  return source;
}

}  // namespace rtx::archive
