// Issue 8 item 10: extraction costs a bounded number of system calls per
// entry, however deep its path. 2,000 entries alternating between two
// 1,000-deep paths used to walk every component of both again and again
// (6.7 s; about an hour at the 1M-entry limit); now such depth is refused,
// and at the deepest allowed the work is linear in entries.
#include <gtest/gtest.h>

#include "extract_fixture.hpp"
#include "manager/archive/limits.hpp"

namespace rtx::test {
namespace {

std::string deep_dir(char component, std::size_t depth) {
  std::string path;
  for (std::size_t i = 0; i < depth; ++i) {
    if (i) path += '/';
    path += component;
  }
  return path;
}

// `entries` files, alternating between the two directories.
ArchiveBuilder alternating(const std::string& a, const std::string& b, int entries) {
  ArchiveBuilder builder;
  for (int i = 0; i < entries; ++i) builder.file((i % 2 ? b : a) + "/f" + std::to_string(i), "x");
  return builder;
}

TEST_F(ExtractTest, AlternatingBetweenTwoDeepestPathsStaysLinear) {
  const std::size_t depth = archive::kMaxPathComponents - 1;  // the file is the last component
  const int entries = 2000;
  auto stats = build_and_extract(alternating(deep_dir('a', depth), deep_dir('b', depth), entries));
  ASSERT_TRUE(stats.ok()) << stats.error();
  EXPECT_EQ(stats->entries, std::uint64_t(entries));
  EXPECT_EQ(read_file(at(deep_dir('b', depth) + "/f1999")), "x");
  // One open per entry (its parent), two per directory made (made and opened,
  // then reopened for its mode); walking each path would be 2,000 × 255.
  const std::uint64_t dirs = 2 * depth;
  EXPECT_LE(stats->dir_opens, std::uint64_t(entries) + 2 * dirs + 2) << "opens grew with depth";
}

TEST_F(ExtractTest, RefusesPathsDeeperThanTheLimit) {
  auto result = build_and_extract(alternating(deep_dir('a', 1000), deep_dir('b', 1000), 2000));
  expect_refused(result, "has more than 256 path components");
}

TEST_F(ExtractTest, RefusesAHardlinkToADeeperTarget) {
  ArchiveBuilder b;
  b.file("x", "1").hardlink("y", deep_dir('a', 300));
  expect_refused(build_and_extract(b), "whose target has more than 256 path components");
}

TEST_F(ExtractTest, AcceptsExactlyTheLimit) {
  auto stats = build_and_extract(ArchiveBuilder().file(deep_dir('a', archive::kMaxPathComponents), "x"));
  ASSERT_TRUE(stats.ok()) << stats.error();
}

}  // namespace
}  // namespace rtx::test
