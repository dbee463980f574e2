// libarchive's read side, owned (RAII) and set up the one way rtx reads
// downloads: every compression filter libarchive has, and the tar and zip
// formats, both recognised by content, never by the file name.
#pragma once

#include <archive.h>

#include <memory>
#include <string>

#include "manager/archive/messages.hpp"
#include "resolver/expected.hpp"
#include "resolver/unique_fd.hpp"

namespace rtx::archive {

struct ArchiveReadFree {
  void operator()(struct archive* a) const { archive_read_free(a); }
};

// The file is opened by us (so a missing download is told apart from a bad
// one), and read by libarchive through the fd. Members are destroyed in
// reverse: libarchive lets go of the fd before it is closed.
struct OpenArchive {
  UniqueFd fd;
  std::unique_ptr<struct archive, ArchiveReadFree> reader;
  struct archive* get() const {
    return reader.get();
  }
};

// Opens ctx.archive for reading.
Expected<OpenArchive> open_archive(const Context& ctx);

// libarchive's last error on `a`, never empty.
std::string archive_error(struct archive* a);

}  // namespace rtx::archive
