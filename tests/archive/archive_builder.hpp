// Archives made by the tests themselves with libarchive's write API, so no
// binary fixture is committed and every hostile shape is spelled out in the
// test that uses it.
#pragma once

#include <sys/types.h>

#include <cstdint>
#include <optional>
#include <string>
#include <utility>
#include <vector>

namespace rtx::test {

enum class Format { TarGz, TarXz, TarZst, TarBz2, Zip, ZipStored };

std::string format_name(Format format);

class ArchiveBuilder {
 public:
  // Entries get a fixed mtime and a foreign owner (uid/gid 4242) unless told.
  ArchiveBuilder& file(const std::string& path, const std::string& data, mode_t perm = 0644);
  ArchiveBuilder& dir(const std::string& path, mode_t perm = 0755);
  ArchiveBuilder& symlink(const std::string& path, const std::string& target);
  ArchiveBuilder& hardlink(const std::string& path, const std::string& target);
  // A device file, FIFO or socket (AE_IFCHR, AE_IFBLK, AE_IFIFO, AE_IFSOCK).
  ArchiveBuilder& special(const std::string& path, mode_t type);
  // The last entry's header says `size` (the tar writer then stores that many bytes).
  ArchiveBuilder& declare_size(std::int64_t size);
  ArchiveBuilder& mtime(std::int64_t seconds);  // of the last entry
  // The last entry becomes sparse: only [offset, offset + length) of its data
  // (the whole file, holes included) is stored, the rest is a hole.
  ArchiveBuilder& sparse(std::int64_t offset, std::int64_t length);

  // Writes the archive; throws (a test bug) if libarchive refuses.
  void write(const std::string& out_path, Format format) const;

  static constexpr std::int64_t kDefaultMtime = 1'500'000'000;

 private:
  struct Entry {
    std::string path;
    mode_t type = 0;
    mode_t perm = 0;
    std::string data;
    std::string symlink;
    std::string hardlink;
    std::optional<std::int64_t> declared_size;
    std::optional<std::pair<std::int64_t, std::int64_t>> sparse_region;
    std::int64_t mtime = kDefaultMtime;
  };
  Entry& add(const std::string& path, mode_t type, mode_t perm);
  std::vector<Entry> entries_;
};

// Rewrites the uncompressed-size fields of every local and central header of
// a zip (made with Format::ZipStored) from `from` to `to`: a header that lies.
void patch_zip_uncompressed_size(const std::string& zip_path, std::uint32_t from, std::uint32_t to);

}  // namespace rtx::test
