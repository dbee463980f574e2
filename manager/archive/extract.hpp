// Extraction of downloaded toolchains (DESIGN.md §6 step 3, §9): tar.gz,
// tar.xz, tar.zst, tar.bz2 and zip, recognised by content. Regular files,
// directories, symlinks and hardlinks are kept, with their permission bits
// masked by 022 (DESIGN.md §2: nothing group- or world-writable; never setuid,
// setgid or sticky; never an owner, even as root) and their mtimes.
//
// Refused with one line and nothing left behind: entries with a ".."
// component or an absolute path; symlinks resolving outside the destination;
// hardlinks to anything but a regular file extracted earlier; entries written
// through a symlink an earlier entry made; device files, FIFOs and sockets;
// archives past the size, entry-count or path-depth limits (limits.hpp).
//
// Cost: each entry costs a bounded number of system calls whatever its depth
// (directories already made are opened by one openat2, not one step per
// component), plus two per directory created: linear in entries.
//
// The archive goes into a fresh directory beside the destination, which is
// renamed into place only once every entry is written (staging_dir.hpp).
// libarchive only reads: all writes are ours (tree_writer.hpp), so every check
// is in this folder.
#pragma once

#include <cstdint>
#include <string>

#include "manager/archive/limits.hpp"
#include "resolver/expected.hpp"

namespace rtx::archive {

struct ExtractRequest {
  std::string archive;
  // Must not exist, or be an empty directory; its folder must exist. It is
  // made (or replaced) by one rename(2) at the end.
  std::string destination;
  // As `tar --strip-components`: entries that vanish entirely are skipped.
  int strip_components = 0;
  std::uint64_t max_total_bytes = kDefaultMaxTotalBytes;  // of file data, declared and written
  std::uint64_t max_entries = kDefaultMaxEntries;         // every entry read, skipped ones too
};

struct ExtractStats {
  std::uint64_t entries = 0;  // entries created (files, directories, links)
  std::uint64_t bytes = 0;    // file data written
  // Directories opened (one system call each): stays within a small multiple
  // of entries and directories made, however deep the paths (tests read it).
  std::uint64_t dir_opens = 0;
};

Expected<ExtractStats> extract(const ExtractRequest& request);

}  // namespace rtx::archive
