// DESIGN.md §2, issue 8 item 4: nothing extracted is group- or world-writable,
// whatever the archive says: a tarball with lib/ 0777 and bin/ 0777 would
// otherwise let any local user replace the tool's binaries.
#include <gtest/gtest.h>
#include <sys/stat.h>

#include <functional>

#include "extract_fixture.hpp"

namespace rtx::test {
namespace {

// Every directory and file under `root` (root included), symlinks skipped.
void for_each_node(const std::string& root, const std::function<void(const std::string&, mode_t)>& visit) {
  struct stat st = lstat_of(root);
  if (S_ISLNK(st.st_mode)) return;
  visit(root, st.st_mode);
  if (!S_ISDIR(st.st_mode)) return;
  for (const auto& name : list_dir(root)) for_each_node(root + "/" + name, visit);
}

void expect_nothing_writable_by_others(const std::string& root) {
  int seen = 0;
  for_each_node(root, [&](const std::string& path, mode_t mode) {
    ++seen;
    EXPECT_EQ(mode & 07022, 0u) << path << " has mode " << std::oct << (mode & 07777);
  });
  EXPECT_GT(seen, 1);
}

TEST_F(ExtractTest, MasksGroupAndWorldWriteOnFilesAndDirectories) {
  ArchiveBuilder b;
  b.dir("lib", 0777).file("lib/x.js", "x", 0666).dir("bin", 0777).file("bin/tool", "#!/bin/sh\n", 0777);
  b.file("bin/setgid", "x", 02775).dir("tmp", 01777).file("implicit/deep/file", "y", 0664);
  auto stats = build_and_extract(b);
  ASSERT_TRUE(stats.ok()) << stats.error();
  EXPECT_EQ(perm_of(at("lib")), 0755u);
  EXPECT_EQ(perm_of(at("lib/x.js")), 0644u);
  EXPECT_EQ(perm_of(at("bin")), 0755u);
  EXPECT_EQ(perm_of(at("bin/tool")), 0755u);
  EXPECT_EQ(perm_of(at("bin/setgid")), 0755u);
  EXPECT_EQ(perm_of(at("tmp")), 0755u);
  EXPECT_EQ(perm_of(at("implicit")), 0755u) << "a directory made implicitly";
  EXPECT_EQ(perm_of(at("implicit/deep/file")), 0644u);
  expect_nothing_writable_by_others(dest());
}

TEST_F(ExtractTest, KeepsTheOwnersBitsAsGiven) {
  auto stats = build_and_extract(ArchiveBuilder().dir("d", 0570).file("d/f", "x", 0460).file("g", "y", 0200));
  ASSERT_TRUE(stats.ok()) << stats.error();
  EXPECT_EQ(perm_of(at("d/f")), 0440u);
  EXPECT_EQ(perm_of(at("g")), 0200u);
  EXPECT_EQ(perm_of(at("d")), 0550u);
  ::chmod(at("d").c_str(), 0755);  // so the temp dir can be removed
}

// The install prefix exists (empty) before extraction; a world-writable one
// is not carried over to the tree renamed over it.
TEST_F(ExtractTest, MasksTheModeOfAnExistingEmptyDestination) {
  ASSERT_EQ(::mkdir(dest().c_str(), 0700), 0);
  ASSERT_EQ(::chmod(dest().c_str(), 01777), 0);
  auto stats = build_and_extract(ArchiveBuilder().file("x", "1", 0666));
  ASSERT_TRUE(stats.ok()) << stats.error();
  EXPECT_EQ(perm_of(dest()), 0755u);
  EXPECT_EQ(perm_of(at("x")), 0644u);
}

TEST_F(ExtractTest, MasksModesInZipsToo) {
  ArchiveBuilder b;
  b.dir("lib", 0777).file("lib/x.js", "x", 0666).file("bin/tool", "t", 04777);
  auto stats = build_and_extract(b, Format::Zip);
  ASSERT_TRUE(stats.ok()) << stats.error();
  EXPECT_EQ(perm_of(at("lib/x.js")), 0644u);
  EXPECT_EQ(perm_of(at("bin/tool")), 0755u);
  expect_nothing_writable_by_others(dest());
}

}  // namespace
}  // namespace rtx::test
