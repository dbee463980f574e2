// The pure rules: entry names as components, strip_components, symlink targets.
#include <gtest/gtest.h>

#include "manager/archive/entry_path.hpp"
#include "manager/archive/symlink_check.hpp"

namespace rtx::archive {
namespace {

TEST(EntryPath, SplitsAndDropsEmptyAndDotComponents) {
  auto parts = split_entry_path("./pkg//bin/./tool/");
  ASSERT_TRUE(parts.ok()) << parts.error();
  EXPECT_EQ(*parts, (PathParts{"pkg", "bin", "tool"}));
  EXPECT_EQ(join_parts(*parts), "pkg/bin/tool");
  EXPECT_EQ(join_parts(*parts, 2), "pkg/bin");
}

TEST(EntryPath, RefusesAbsoluteAndDotDot) {
  EXPECT_FALSE(split_entry_path("/etc/passwd").ok());
  EXPECT_FALSE(split_entry_path("../x").ok());
  EXPECT_FALSE(split_entry_path("a/../../x").ok());
  EXPECT_FALSE(split_entry_path("a/..").ok());
  EXPECT_TRUE(split_entry_path("a/..b/c..").ok());  // only a whole ".." component climbs
}

TEST(EntryPath, RefusesNamesPastPathMax) {
  std::string deep;
  while (deep.size() < 4096) deep += "abcdefghijklmno/";  // 16 bytes a component: within the depth limit
  EXPECT_FALSE(split_entry_path(deep).ok());
  EXPECT_TRUE(split_entry_path(deep.substr(0, 4000)).ok());
}

TEST(EntryPath, RefusesMoreThan256Components) {
  std::string name = "a";
  for (int i = 1; i < 256; ++i) name += "/a";
  auto at_limit = split_entry_path(name);
  ASSERT_TRUE(at_limit.ok()) << at_limit.error();
  EXPECT_EQ(at_limit->size(), 256u);
  EXPECT_TRUE(split_entry_path("./" + name + "//./").ok()) << "empty and '.' components do not count";
  auto past = split_entry_path(name + "/a");
  ASSERT_FALSE(past.ok());
  EXPECT_EQ(past.error(), "has more than 256 path components (limit of rtx): such a deep tree is not a toolchain");
}

TEST(EntryPath, StripComponentsLikeTar) {
  PathParts p{"pkg-1.0", "bin", "tool"};
  EXPECT_EQ(strip_components(p, 0), p);
  EXPECT_EQ(strip_components(p, 1), (PathParts{"bin", "tool"}));
  EXPECT_EQ(strip_components(p, 2), (PathParts{"tool"}));
  EXPECT_TRUE(strip_components(p, 3).empty());
  EXPECT_TRUE(strip_components(p, 9).empty());
}

bool no_plain_dirs(const PathParts&) { return false; }

TEST(SymlinkCheck, AcceptsTargetsInside) {
  EXPECT_TRUE(check_symlink_target({}, "lib/x", no_plain_dirs).ok());
  EXPECT_TRUE(check_symlink_target({"bin"}, "../lib/node_modules/npm/bin/npm-cli.js", no_plain_dirs).ok());
  EXPECT_TRUE(check_symlink_target({"a", "b"}, "../../c", no_plain_dirs).ok());
  EXPECT_TRUE(check_symlink_target({"a"}, "./x/./y", no_plain_dirs).ok());
}

TEST(SymlinkCheck, RefusesAbsoluteEmptyAndClimbingOut) {
  EXPECT_FALSE(check_symlink_target({}, "/etc", no_plain_dirs).ok());
  EXPECT_FALSE(check_symlink_target({}, "", no_plain_dirs).ok());
  EXPECT_FALSE(check_symlink_target({}, "..", no_plain_dirs).ok());
  EXPECT_FALSE(check_symlink_target({"a", "b"}, "../../../x", no_plain_dirs).ok());
  EXPECT_FALSE(check_symlink_target({"a"}, "./../../x", no_plain_dirs).ok());
}

// "d/up/../..": harmless as text, but if d/up is a symlink to "..", the kernel
// climbs out. A ".." after a named component needs that component to be a plain dir.
TEST(SymlinkCheck, DotDotAfterANamedComponentNeedsAPlainDirectory) {
  EXPECT_FALSE(check_symlink_target({}, "d/up/../..", no_plain_dirs).ok());
  PathParts asked;
  auto plain = [&](const PathParts& p) {
    asked = p;
    return true;
  };
  EXPECT_TRUE(check_symlink_target({"top"}, "d/e/../f", plain).ok());
  EXPECT_EQ(asked, (PathParts{"top", "d", "e"}));
  EXPECT_FALSE(check_symlink_target({}, "d/../..", plain).ok());  // plain, but still climbs out
}

}  // namespace
}  // namespace rtx::archive
