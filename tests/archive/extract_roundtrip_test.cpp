// Every supported format keeps what a toolchain needs: files, directories,
// symlinks, hardlinks (tar), permission bits (masked by 022) and mtimes; never
// an owner or a setuid/setgid/sticky bit.
#include <gtest/gtest.h>
#include <sys/stat.h>
#include <unistd.h>

#include "extract_fixture.hpp"

namespace rtx::test {
namespace {

class RoundTrip : public ExtractTest, public ::testing::WithParamInterface<Format> {
 protected:
  bool has_hardlinks() const { return GetParam() != Format::Zip && GetParam() != Format::ZipStored; }
};

ArchiveBuilder toolchain(bool with_hardlink) {
  ArchiveBuilder b;
  b.dir("bin", 0755).mtime(1'400'000'000);
  b.file("bin/tool", "#!/bin/sh\necho hi\n", 0755).mtime(1'300'000'000);
  b.file("bin/setuid", "x", 06755);
  b.dir("lib", 0755);
  b.file("lib/libx.so.1", pseudo_random_bytes(200'000), 0644);
  b.symlink("lib/libx.so", "libx.so.1");
  b.symlink("bin/up", "../lib/libx.so.1");
  b.dir("share/doc", 0555);  // its parent "share" is not named: made with the usual mode
  b.file("share/doc/README", "read me\n", 0444);
  b.dir("tmp", 01777);
  b.file("empty", "", 0600);
  if (with_hardlink) b.hardlink("bin/tool-again", "bin/tool");
  return b;
}

TEST_P(RoundTrip, KeepsFilesDirsLinksModesAndMtimes) {
  auto stats = build_and_extract(toolchain(has_hardlinks()), GetParam());
  ASSERT_TRUE(stats.ok()) << stats.error();

  EXPECT_EQ(read_file(at("bin/tool")), "#!/bin/sh\necho hi\n");
  EXPECT_EQ(read_file(at("lib/libx.so.1")), pseudo_random_bytes(200'000));
  EXPECT_EQ(read_file(at("share/doc/README")), "read me\n");
  EXPECT_EQ(read_file(at("empty")), "");

  EXPECT_EQ(perm_of(at("bin/tool")), 0755u);
  EXPECT_EQ(perm_of(at("bin/setuid")), 0755u) << "setuid/setgid must be dropped";
  EXPECT_EQ(perm_of(at("share/doc/README")), 0444u);
  EXPECT_EQ(perm_of(at("share/doc")), 0555u);
  EXPECT_EQ(perm_of(at("share")), 0755u);
  EXPECT_EQ(perm_of(at("tmp")), 0755u) << "sticky and group/world write must be dropped";
  EXPECT_EQ(perm_of(at("empty")), 0600u);
  EXPECT_EQ(perm_of(dest()), 0755u);

  EXPECT_TRUE(S_ISLNK(lstat_of(at("lib/libx.so")).st_mode));
  EXPECT_EQ(link_of(at("lib/libx.so")), "libx.so.1");
  EXPECT_EQ(link_of(at("bin/up")), "../lib/libx.so.1");
  EXPECT_EQ(read_file(at("bin/up")), pseudo_random_bytes(200'000));

  EXPECT_EQ(lstat_of(at("bin/tool")).st_mtime, 1'300'000'000);
  EXPECT_EQ(lstat_of(at("bin")).st_mtime, 1'400'000'000) << "a directory's mtime is set after its files";
  EXPECT_EQ(lstat_of(at("lib/libx.so.1")).st_mtime, ArchiveBuilder::kDefaultMtime);

  EXPECT_EQ(lstat_of(at("bin/tool")).st_uid, ::getuid()) << "the archive's owner (4242) must not be applied";
  EXPECT_EQ(lstat_of(at("bin/tool")).st_gid, ::getgid());

  std::uint64_t entries = 11;  // "share" is not an entry of the archive
  if (has_hardlinks()) {
    ++entries;
    EXPECT_EQ(lstat_of(at("bin/tool-again")).st_ino, lstat_of(at("bin/tool")).st_ino);
    EXPECT_EQ(lstat_of(at("bin/tool")).st_nlink, 2u);
  }
  EXPECT_EQ(stats->entries, entries);
  EXPECT_EQ(stats->bytes, 18u + 1u + 200'000u + 8u);
  EXPECT_EQ(list_dir(out()), std::vector<std::string>{"dest"}) << "the staging directory must be gone";
}

INSTANTIATE_TEST_SUITE_P(Formats, RoundTrip,
                         ::testing::Values(Format::TarGz, Format::TarXz, Format::TarZst, Format::TarBz2, Format::Zip),
                         [](const auto& info) { return format_name(info.param); });

// The format comes from the content: a .zip name on a tar.xz changes nothing.
TEST_F(ExtractTest, DetectsTheFormatByContentNotName) {
  std::string path = archive_path("misleading.zip");
  ArchiveBuilder().file("a", "tar inside").write(path, Format::TarXz);
  auto stats = extract_file(path);
  ASSERT_TRUE(stats.ok()) << stats.error();
  EXPECT_EQ(read_file(at("a")), "tar inside");
}

// The install prefix of DESIGN.md §6 exists, empty, before the download is
// extracted into it: it is replaced, keeping its mode.
TEST_F(ExtractTest, FillsAnExistingEmptyDestinationKeepingItsMode) {
  ASSERT_EQ(::mkdir(dest().c_str(), 0750), 0);
  ::chmod(dest().c_str(), 0750);
  auto stats = build_and_extract(ArchiveBuilder().file("x", "1"));
  ASSERT_TRUE(stats.ok()) << stats.error();
  EXPECT_EQ(read_file(at("x")), "1");
  EXPECT_EQ(perm_of(dest()), 0750u);
  EXPECT_EQ(list_dir(out()), std::vector<std::string>{"dest"});
}

TEST_F(ExtractTest, RefusesADestinationThatIsNotEmpty) {
  ASSERT_EQ(::mkdir(dest().c_str(), 0755), 0);
  write_file(at("keep"), "mine");
  auto result = build_and_extract(ArchiveBuilder().file("x", "1"));
  ASSERT_FALSE(result.ok());
  EXPECT_NE(result.error().find("not an empty directory"), std::string::npos) << result.error();
  EXPECT_EQ(list_dir(dest()), std::vector<std::string>{"keep"});
  EXPECT_EQ(list_dir(out()), std::vector<std::string>{"dest"});
}

TEST_F(ExtractTest, RefusesADestinationWhoseFolderIsMissing) {
  ArchiveBuilder().file("x", "1").write(archive_path(), Format::TarGz);
  archive::ExtractRequest request;
  request.archive = archive_path();
  request.destination = tmp_ / "out/missing/dest";
  auto result = archive::extract(request);
  ASSERT_FALSE(result.ok());
  EXPECT_NE(result.error().find("does not exist: create it first"), std::string::npos) << result.error();
  expect_nothing_left();
}

// tar semantics: a later entry for the same path wins (appended updates).
TEST_F(ExtractTest, ALaterEntryReplacesAnEarlierFile) {
  auto stats =
      build_and_extract(ArchiveBuilder().file("f", "old").symlink("l", "f").file("f", "new").file("l", "file"));
  ASSERT_TRUE(stats.ok()) << stats.error();
  EXPECT_EQ(read_file(at("f")), "new");
  EXPECT_TRUE(S_ISREG(lstat_of(at("l")).st_mode));
  EXPECT_EQ(read_file(at("l")), "file");
}

// A sparse file (pax GNU.sparse) whose last stretch is a hole keeps its full size.
TEST_F(ExtractTest, SparseFileKeepsItsSizeAndData) {
  std::string whole(1 << 20, '\0');
  whole.replace(8192, 4096, pseudo_random_bytes(4096));
  auto stats = build_and_extract(ArchiveBuilder().file("sparse", whole).sparse(8192, 4096), Format::TarGz);
  ASSERT_TRUE(stats.ok()) << stats.error();
  std::string back = read_file(at("sparse"));
  EXPECT_EQ(back.size(), whole.size());
  EXPECT_TRUE(back == whole) << "the data or the holes differ";
  EXPECT_EQ(stats->bytes, 4096u) << "holes are not written";
}

TEST_F(ExtractTest, AnEmptyArchiveMakesAnEmptyDestination) {
  auto stats = build_and_extract(ArchiveBuilder(), Format::TarGz);
  ASSERT_TRUE(stats.ok()) << stats.error();
  EXPECT_EQ(stats->entries, 0u);
  EXPECT_EQ(list_dir(dest()), std::vector<std::string>{});
}

}  // namespace
}  // namespace rtx::test
