// Copies the data of one regular-file entry from libarchive into an open file
// with pwrite(2) at the offsets libarchive gives (sparse entries keep their
// holes). Every block is counted against the budget before it is written, and
// against the size the entry's header declared: a header that lies low is
// caught on the first byte past it.
#pragma once

#include <archive.h>

#include <cstdint>
#include <optional>
#include <string_view>

#include "manager/archive/limits.hpp"
#include "manager/archive/messages.hpp"
#include "resolver/expected.hpp"

namespace rtx::archive {

// `declared_size`: from the header, when it has one.
Status write_file_data(struct archive* reader, int fd, std::string_view entry,
                       std::optional<std::uint64_t> declared_size, Budget& budget, const Context& ctx);

}  // namespace rtx::archive
