// Bad files and bad luck: absurd sizes (declared, or lied about), too many
// entries, corrupt and truncated downloads, a full disk. Each: one clear line,
// nothing left behind.
#include <gtest/gtest.h>
#include <sys/stat.h>

#include "extract_fixture.hpp"
#include "tests/support/scoped_tmpfs.hpp"

namespace rtx::test {
namespace {

class Faults : public ExtractTest {
 protected:
  Expected<archive::ExtractStats> extract_with_limits(std::uint64_t max_bytes, std::uint64_t max_entries) {
    archive::ExtractRequest request;
    request.archive = archive_path();
    request.destination = dest();
    request.max_total_bytes = max_bytes;
    request.max_entries = max_entries;
    return archive::extract(request);
  }
};

TEST_F(Faults, DeclaredSizePastTheLimitIsRefusedBeforeWriting) {
  ArchiveBuilder b;
  b.file("small", std::string(10'000, 'a'));
  b.file("big", std::string(100'000, 'b'));
  b.write(archive_path(), Format::TarGz);
  expect_refused(extract_with_limits(64 << 10, 1000),
                 "'big' declares 98 KiB, which takes the expanded size past the limit of 64 KiB");
}

TEST_F(Faults, TheLimitCountsTheWholeArchive) {
  ArchiveBuilder b;
  for (int i = 0; i < 5; ++i) b.file("f" + std::to_string(i), std::string(20'000, 'a'));
  b.write(archive_path(), Format::TarZst);
  expect_refused(extract_with_limits(64 << 10, 1000), "'f3' declares");
}

TEST_F(Faults, DefaultLimitsAreGenerous) {
  archive::ExtractRequest request;
  EXPECT_EQ(request.max_total_bytes, std::uint64_t{8} << 30);
  EXPECT_EQ(request.max_entries, 1'000'000u);
}

// A zip whose headers (local and central) say 1 byte, holding 1 MiB: libarchive
// only notices at the end of the entry; the bytes counted stop it first.
TEST_F(Faults, LyingHeaderCannotPassTheLimit) {
  ArchiveBuilder().file("bomb", std::string(1 << 20, 'z')).write(archive_path(), Format::ZipStored);
  patch_zip_uncompressed_size(archive_path(), 1 << 20, 1);
  // The header's 1 byte fits the limit exactly: only counting written bytes catches the rest.
  expect_refused(extract_with_limits(1, 1000),
                 "'bomb' takes the expanded size past the limit of 1 byte (counting bytes written)");
}

TEST_F(Faults, LyingHeaderIsRefusedEvenUnderTheLimit) {
  ArchiveBuilder().file("bomb", std::string(1 << 20, 'z')).write(archive_path(), Format::ZipStored);
  patch_zip_uncompressed_size(archive_path(), 1 << 20, 1);
  expect_refused(extract_file(archive_path()), "'bomb' holds more data than its header declares (1 byte)");
}

TEST_F(Faults, EntryCountPastTheLimit) {
  ArchiveBuilder b;
  for (int i = 0; i < 10; ++i) b.file("f" + std::to_string(i), "x");
  b.write(archive_path(), Format::TarGz);
  expect_refused(extract_with_limits(1 << 20, 5), "'f5' is past the limit of 5 entries");
}

TEST_F(Faults, TruncatedArchive) {
  ArchiveBuilder().file("big", pseudo_random_bytes(300'000)).file("after", "x").write(archive_path(), Format::TarGz);
  std::string bytes = read_file(archive_path());
  write_file(archive_path(), bytes.substr(0, bytes.size() / 2));
  expect_refused(extract_file(archive_path()),
                 "the file is corrupt, truncated or not a tar/zip archive; download it again");
}

TEST_F(Faults, CorruptCompressedStream) {
  ArchiveBuilder().file("big", pseudo_random_bytes(300'000)).write(archive_path(), Format::TarXz);
  std::string bytes = read_file(archive_path());
  for (std::size_t i = bytes.size() / 3; i < bytes.size() / 3 + 64; ++i) bytes[i] = char(~bytes[i]);
  write_file(archive_path(), bytes);
  expect_refused(extract_file(archive_path()), "the file is corrupt");
}

TEST_F(Faults, NotAnArchive) {
  write_file(archive_path(), "<html>404 Not Found</html>\n" + std::string(2000, ' '));
  expect_refused(extract_file(archive_path()), "not a tar/zip archive");
}

TEST_F(Faults, MissingArchive) {
  auto result = extract_file(archive_path("never-downloaded.tar.gz"));
  ASSERT_FALSE(result.ok());
  EXPECT_NE(result.error().find("cannot open archive " + archive_path("never-downloaded.tar.gz")), std::string::npos)
      << result.error();
  expect_nothing_left();
}

// A 1 MiB tmpfs, and an archive that expands to 4 MiB.
TEST_F(Faults, DiskFullDuringExtraction) {
  ArchiveBuilder b;
  b.file("small", "fits");
  for (int i = 0; i < 4; ++i) b.file("big" + std::to_string(i), pseudo_random_bytes(1 << 20, unsigned(i + 1)));
  b.write(archive_path(), Format::TarZst);
  ScopedTmpfs disk(out(), "1m");
  if (!disk.mounted()) GTEST_SKIP() << disk.error() << ": the disk-full case needs a small filesystem";
  auto result = extract_file(archive_path());
  ASSERT_FALSE(result.ok());
  EXPECT_EQ(result.error(),
            "no space left on device while extracting " + archive_path() + " into " + dest() + ": free some space");
  EXPECT_EQ(list_dir(out()), std::vector<std::string>{}) << "left behind on the full disk";
}

}  // namespace
}  // namespace rtx::test
