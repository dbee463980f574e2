#include "archive_builder.hpp"

#include <archive.h>
#include <archive_entry.h>
#include <sys/sysmacros.h>

#include <cstring>
#include <fstream>
#include <iterator>
#include <memory>
#include <stdexcept>

namespace rtx::test {
namespace {

struct WriteFree {
  void operator()(struct archive* a) const { archive_write_free(a); }
};
struct EntryFree {
  void operator()(archive_entry* e) const { archive_entry_free(e); }
};

void check(struct archive* a, int rc, const std::string& what) {
  if (rc < ARCHIVE_WARN)
    throw std::runtime_error(what + ": " + (archive_error_string(a) ? archive_error_string(a) : "?"));
}

void set_format(struct archive* a, Format format) {
  switch (format) {
    case Format::TarGz:
      check(a, archive_write_add_filter_gzip(a), "gzip");
      check(a, archive_write_set_format_pax(a), "pax");
      break;
    case Format::TarXz:
      check(a, archive_write_add_filter_xz(a), "xz");
      check(a, archive_write_set_format_ustar(a), "ustar");
      break;
    case Format::TarZst:
      check(a, archive_write_add_filter_zstd(a), "zstd");
      check(a, archive_write_set_format_pax_restricted(a), "pax");
      break;
    case Format::TarBz2:
      check(a, archive_write_add_filter_bzip2(a), "bzip2");
      check(a, archive_write_set_format_ustar(a), "ustar");
      break;
    case Format::Zip:
      check(a, archive_write_set_format_zip(a), "zip");
      break;
    case Format::ZipStored:
      check(a, archive_write_set_format_zip(a), "zip");
      check(a, archive_write_zip_set_compression_store(a), "zip store");
      break;
  }
}

}  // namespace

std::string format_name(Format format) {
  switch (format) {
    case Format::TarGz:
      return "TarGz";
    case Format::TarXz:
      return "TarXz";
    case Format::TarZst:
      return "TarZst";
    case Format::TarBz2:
      return "TarBz2";
    case Format::Zip:
      return "Zip";
    case Format::ZipStored:
      return "ZipStored";
  }
  return "?";
}

ArchiveBuilder::Entry& ArchiveBuilder::add(const std::string& path, mode_t type, mode_t perm) {
  Entry& e = entries_.emplace_back();
  e.path = path;
  e.type = type;
  e.perm = perm;
  return e;
}

ArchiveBuilder& ArchiveBuilder::file(const std::string& path, const std::string& data, mode_t perm) {
  add(path, AE_IFREG, perm).data = data;
  return *this;
}
ArchiveBuilder& ArchiveBuilder::dir(const std::string& path, mode_t perm) {
  add(path, AE_IFDIR, perm);
  return *this;
}
ArchiveBuilder& ArchiveBuilder::symlink(const std::string& path, const std::string& target) {
  add(path, AE_IFLNK, 0777).symlink = target;
  return *this;
}
ArchiveBuilder& ArchiveBuilder::hardlink(const std::string& path, const std::string& target) {
  add(path, AE_IFREG, 0644).hardlink = target;
  return *this;
}
ArchiveBuilder& ArchiveBuilder::special(const std::string& path, mode_t type) {
  add(path, type, 0644);
  return *this;
}
ArchiveBuilder& ArchiveBuilder::declare_size(std::int64_t size) {
  entries_.back().declared_size = size;
  return *this;
}
ArchiveBuilder& ArchiveBuilder::sparse(std::int64_t offset, std::int64_t length) {
  entries_.back().sparse_region = {offset, length};
  return *this;
}
ArchiveBuilder& ArchiveBuilder::mtime(std::int64_t seconds) {
  entries_.back().mtime = seconds;
  return *this;
}

void ArchiveBuilder::write(const std::string& out_path, Format format) const {
  std::unique_ptr<struct archive, WriteFree> a(archive_write_new());
  set_format(a.get(), format);
  check(a.get(), archive_write_open_filename(a.get(), out_path.c_str()), "open " + out_path);
  for (const Entry& e : entries_) {
    std::unique_ptr<archive_entry, EntryFree> entry(archive_entry_new());
    archive_entry_set_pathname(entry.get(), e.path.c_str());
    archive_entry_set_filetype(entry.get(), e.type);
    archive_entry_set_perm(entry.get(), e.perm);
    archive_entry_set_mtime(entry.get(), e.mtime, 0);
    archive_entry_set_uid(entry.get(), 4242);
    archive_entry_set_gid(entry.get(), 4242);
    if (!e.symlink.empty()) archive_entry_set_symlink(entry.get(), e.symlink.c_str());
    if (!e.hardlink.empty()) archive_entry_set_hardlink(entry.get(), e.hardlink.c_str());
    if (e.type == AE_IFCHR || e.type == AE_IFBLK) archive_entry_set_rdev(entry.get(), makedev(1, 3));
    archive_entry_set_size(entry.get(), e.declared_size.value_or(std::int64_t(e.data.size())));
    if (e.sparse_region) archive_entry_sparse_add_entry(entry.get(), e.sparse_region->first, e.sparse_region->second);
    check(a.get(), archive_write_header(a.get(), entry.get()), "header of " + e.path);
    if (!e.data.empty() && archive_write_data(a.get(), e.data.data(), e.data.size()) < 0)
      throw std::runtime_error("data of " + e.path + ": " + archive_error_string(a.get()));
  }
  check(a.get(), archive_write_close(a.get()), "close " + out_path);
}

void patch_zip_uncompressed_size(const std::string& zip_path, std::uint32_t from, std::uint32_t to) {
  std::string bytes;
  {
    std::ifstream in(zip_path, std::ios::binary);
    bytes.assign(std::istreambuf_iterator<char>(in), {});
  }
  auto patch = [&](const char* signature, std::size_t field) {
    int patched = 0;
    for (std::size_t at = bytes.find(signature, 0, 4); at != std::string::npos; at = bytes.find(signature, at + 4, 4)) {
      std::uint32_t value;
      std::memcpy(&value, bytes.data() + at + field, 4);  // little-endian, as is x86
      if (value != from) continue;
      std::memcpy(bytes.data() + at + field, &to, 4);
      ++patched;
    }
    if (patched == 0) throw std::runtime_error(std::string("no zip header to patch in ") + zip_path);
  };
  patch("PK\x03\x04", 22);  // local file header: uncompressed size
  patch("PK\x01\x02", 24);  // central directory header: uncompressed size
  std::ofstream(zip_path, std::ios::binary | std::ios::trunc) << bytes;
}

}  // namespace rtx::test
