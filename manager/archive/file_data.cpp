#include "manager/archive/file_data.hpp"

#include <unistd.h>

#include <algorithm>
#include <cerrno>

#include "manager/archive/archive_reader.hpp"

namespace rtx::archive {
namespace {

Status pwrite_all(int fd, const char* data, std::size_t size, off_t offset, std::string_view entry,
                  const Context& ctx) {
  while (size > 0) {
    ssize_t n = ::pwrite(fd, data, size, offset);
    if (n < 0 && errno == EINTR) continue;
    if (n <= 0) return make_error(write_failure(ctx, entry, n < 0 ? errno : ENOSPC));
    data += n;
    size -= std::size_t(n);
    offset += n;
  }
  return ok_status();
}

}  // namespace

Status write_file_data(struct archive* reader, int fd, std::string_view entry,
                       std::optional<std::uint64_t> declared_size, Budget& budget, const Context& ctx) {
  std::uint64_t end = 0;
  for (;;) {
    const void* block = nullptr;
    std::size_t size = 0;
    la_int64_t offset = 0;
    int rc = archive_read_data_block(reader, &block, &size, &offset);
    if (rc == ARCHIVE_EOF) break;
    if (rc < ARCHIVE_WARN)
      return make_error(read_failure(ctx, "entry '" + printable(entry) + "': " + archive_error(reader)));
    if (offset < 0) return make_error(refusal(ctx, entry, "has data at a negative offset"));
    std::uint64_t stop = std::uint64_t(offset) + size;
    if (!budget.spend(size))
      return make_error(refusal(
          ctx, entry,
          "takes the expanded size past the limit of " + human_size(budget.max_bytes()) + " (counting bytes written)"));
    if (declared_size && stop > *declared_size)
      return make_error(
          refusal(ctx, entry, "holds more data than its header declares (" + human_size(*declared_size) + ")"));
    if (auto written = pwrite_all(fd, static_cast<const char*>(block), size, off_t(offset), entry, ctx); !written)
      return written;
    end = std::max(end, stop);
  }
  // A sparse file whose last stretch is a hole: give it its full size.
  if (declared_size && end < *declared_size && ::ftruncate(fd, off_t(*declared_size)) != 0)
    return make_error(write_failure(ctx, entry, errno));
  return ok_status();
}

}  // namespace rtx::archive
