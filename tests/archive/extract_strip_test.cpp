// strip_components, as `tar --strip-components`: node-v20.11.1-linux-x64/bin/node
// becomes bin/node; entries that vanish entirely are skipped.
#include <gtest/gtest.h>

#include "extract_fixture.hpp"

namespace rtx::test {
namespace {

ArchiveBuilder upstream_layout() {
  ArchiveBuilder b;
  b.dir("node-v20/", 0755);
  b.dir("node-v20/bin", 0755);
  b.file("node-v20/bin/node", "ELF", 0755);
  b.hardlink("node-v20/bin/nodejs", "node-v20/bin/node");
  b.symlink("node-v20/bin/npm", "../lib/npm-cli.js");
  b.file("node-v20/lib/npm-cli.js", "js", 0644);
  b.file("node-v20/README.md", "readme", 0644);
  return b;
}

TEST_F(ExtractTest, StripOneComponent) {
  auto stats = build_and_extract(upstream_layout(), Format::TarXz, 1);
  ASSERT_TRUE(stats.ok()) << stats.error();
  EXPECT_EQ(list_dir(dest()), (std::vector<std::string>{"README.md", "bin", "lib"}));
  EXPECT_EQ(read_file(at("bin/node")), "ELF");
  EXPECT_EQ(perm_of(at("bin/node")), 0755u);
  EXPECT_EQ(lstat_of(at("bin/nodejs")).st_ino, lstat_of(at("bin/node")).st_ino) << "hardlink targets are stripped too";
  EXPECT_EQ(read_file(at("bin/npm")), "js");
  EXPECT_EQ(stats->entries, 6u) << "the top folder vanished and is not counted";
}

TEST_F(ExtractTest, StripTwoComponents) {
  ArchiveBuilder b;
  b.file("pkg/bin/tool", "t", 0755);
  b.file("pkg/lib/libz.so", "z", 0644);
  b.file("pkg/top-level-file", "gone", 0644);
  auto stats = build_and_extract(b, Format::TarGz, 2);
  ASSERT_TRUE(stats.ok()) << stats.error();
  EXPECT_EQ(list_dir(dest()), (std::vector<std::string>{"libz.so", "tool"}));
  EXPECT_EQ(read_file(at("tool")), "t");
  EXPECT_EQ(stats->entries, 2u);
  EXPECT_EQ(stats->bytes, 2u);
}

TEST_F(ExtractTest, RefusesAHardlinkWhoseTargetIsStrippedAway) {
  ArchiveBuilder b;
  b.file("top", "x");
  b.hardlink("pkg/link", "top");
  expect_refused(build_and_extract(b, Format::TarGz, 1), "strip_components removes");
}

TEST_F(ExtractTest, RefusesANegativeStrip) {
  auto result = build_and_extract(ArchiveBuilder().file("a", "1"), Format::TarGz, -1);
  ASSERT_FALSE(result.ok());
  EXPECT_NE(result.error().find("strip_components is negative"), std::string::npos) << result.error();
  expect_nothing_left();
}

}  // namespace
}  // namespace rtx::test
