// The `system` spec: the next executable on PATH outside the shims dir (DESIGN.md §4).
#include <gtest/gtest.h>

#include <unistd.h>

#include "fs_helpers.hpp"
#include "resolver/system_tool.hpp"
#include "tests/support/temp_dir.hpp"

namespace rtx::resolver {
namespace {

class SystemToolTest : public ::testing::Test {
 protected:
  std::string dir(const char* name) { return tmp_ / name; }
  void executable(const char* d, const char* name = "tool") {
    test::write_file(tmp_ / d + "/" + name, "#!/bin/sh\n", 0755);
  }

  test::ScopedTempDir tmp_;
};

TEST_F(SystemToolTest, SkipsTheShimsDir) {
  executable("shims");
  executable("bin");
  std::string path = dir("shims") + ":" + dir("bin");
  EXPECT_EQ(find_system_command("tool", path, dir("shims")), dir("bin") + "/tool");
}

TEST_F(SystemToolTest, SkipsTheShimsDirWrittenWithATrailingSlash) {
  executable("shims");
  executable("bin");
  EXPECT_EQ(find_system_command("tool", dir("shims") + "/:" + dir("bin"), dir("shims")), dir("bin") + "/tool");
  EXPECT_EQ(find_system_command("tool", dir("shims") + ":" + dir("bin"), dir("shims") + "/"), dir("bin") + "/tool");
}

TEST_F(SystemToolTest, FirstExecutableInPathOrder) {
  test::write_file(dir("a") + "/tool", "not executable", 0644);
  test::make_dirs(dir("b") + "/tool");  // a directory, not a file
  executable("c");
  executable("d");
  std::string path = ":" + dir("a") + "::" + dir("b") + ":" + dir("c") + ":" + dir("d");
  EXPECT_EQ(find_system_command("tool", path, dir("shims")), dir("c") + "/tool");
}

TEST_F(SystemToolTest, NoneFound) {
  executable("shims");
  EXPECT_EQ(find_system_command("tool", dir("shims"), dir("shims")), "");
  EXPECT_EQ(find_system_command("tool", "", dir("shims")), "");
  EXPECT_EQ(find_system_command("other", dir("shims"), dir("elsewhere")), "");
}

TEST_F(SystemToolTest, SkipsALinkToTheRunningShimBinary) {
  // Another shims dir (not ours) whose "tool" is this very executable.
  char self[4096];
  ssize_t n = ::readlink("/proc/self/exe", self, sizeof self - 1);
  ASSERT_GT(n, 0);
  self[n] = '\0';
  test::make_symlink(self, dir("other-shims") + "/tool");
  executable("bin");
  EXPECT_EQ(find_system_command("tool", dir("other-shims") + ":" + dir("bin"), dir("shims")), dir("bin") + "/tool");
}

}  // namespace
}  // namespace rtx::resolver
