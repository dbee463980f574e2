// store::write_file_atomic and store::replace_symlink (DESIGN.md §2: every
// state change is a temporary file renamed into place).
#include "manager/store/atomic_file.hpp"

#include <gmock/gmock.h>
#include <gtest/gtest.h>
#include <sys/stat.h>
#include <unistd.h>

#include <atomic>
#include <thread>

#include "fs_helpers.hpp"
#include "tests/support/temp_dir.hpp"

namespace rtx::store {
namespace {

using test::list_dir;
using test::read_text;
using ::testing::ElementsAre;
using ::testing::HasSubstr;

bool has_temp_file(const std::string& dir) {
  for (const auto& n : list_dir(dir))
    if (n.rfind(".tmp.", 0) == 0) return true;
  return false;
}

TEST(WriteFileAtomic, CreatesThenReplacesContent) {
  test::ScopedTempDir tmp;
  std::string path = tmp / "state";
  ASSERT_TRUE(write_file_atomic(path, "BUILDING\n")) << "first write";
  EXPECT_EQ(read_text(path), "BUILDING\n");
  ASSERT_TRUE(write_file_atomic(path, "READY\n"));
  EXPECT_EQ(read_text(path), "READY\n");
  ASSERT_TRUE(write_file_atomic(path, ""));
  EXPECT_EQ(read_text(path), "");
}

TEST(WriteFileAtomic, LeavesNoTemporaryFilesBehind) {
  test::ScopedTempDir tmp;
  for (int i = 0; i < 20; ++i) ASSERT_TRUE(write_file_atomic(tmp / "index", "line " + std::to_string(i) + "\n"));
  EXPECT_THAT(list_dir(tmp.path()), ElementsAre("index"));
}

TEST(WriteFileAtomic, AppliesTheRequestedMode) {
  test::ScopedTempDir tmp;
  std::string path = tmp / "secret";
  ASSERT_TRUE(write_file_atomic(path, "x", 0600));
  struct stat st {};
  ASSERT_EQ(::stat(path.c_str(), &st), 0);
  EXPECT_EQ(st.st_mode & 0777, 0600u);
}

TEST(WriteFileAtomic, LargeContentIsWrittenWhole) {
  test::ScopedTempDir tmp;
  std::string big(3 * 1024 * 1024 + 17, 'x');
  for (std::size_t i = 0; i < big.size(); i += 4096) big[i] = char('a' + (i / 4096) % 26);
  ASSERT_TRUE(write_file_atomic(tmp / "big", big));
  EXPECT_EQ(read_text(tmp / "big"), big);
}

TEST(WriteFileAtomic, MissingDirectoryFailsNamingThePath) {
  test::ScopedTempDir tmp;
  std::string path = tmp / "missing/state";
  Status st = write_file_atomic(path, "READY\n");
  ASSERT_FALSE(st);
  // The user needs the file rtx wanted to write, not only an internal temporary name.
  EXPECT_THAT(st.error(), HasSubstr(path));
  EXPECT_FALSE(test::path_exists(tmp / "missing"));
}

TEST(WriteFileAtomic, DirectoryThatIsARegularFileFailsNamingThePath) {
  test::ScopedTempDir tmp;
  test::write_text(tmp / "file", "not a folder");
  std::string path = tmp / "file/state";
  Status st = write_file_atomic(path, "READY\n");
  ASSERT_FALSE(st);
  EXPECT_THAT(st.error(), HasSubstr(path));
  EXPECT_EQ(read_text(tmp / "file"), "not a folder");
}

TEST(WriteFileAtomic, FailedRenameRemovesTheTemporaryFile) {
  test::ScopedTempDir tmp;
  test::make_dirs(tmp / "target/inside");  // a non-empty directory cannot be renamed over
  Status st = write_file_atomic(tmp / "target", "x");
  ASSERT_FALSE(st);
  EXPECT_THAT(st.error(), HasSubstr(tmp / "target"));
  EXPECT_FALSE(has_temp_file(tmp.path())) << "a temporary file was left in " << tmp.path();
  EXPECT_TRUE(test::is_dir(tmp / "target/inside"));
}

TEST(ReplaceSymlink, CreatesAndFlipsALink) {
  test::ScopedTempDir tmp;
  std::string link = tmp / "20";
  ASSERT_TRUE(replace_symlink(link, "20.11.0"));
  EXPECT_EQ(test::link_target(link), "20.11.0");
  ASSERT_TRUE(replace_symlink(link, "../../store/node/20.11.1-abc"));
  EXPECT_EQ(test::link_target(link), "../../store/node/20.11.1-abc");
  EXPECT_THAT(list_dir(tmp.path()), ElementsAre("20"));
}

TEST(ReplaceSymlink, ReplacesARegularFile) {
  test::ScopedTempDir tmp;
  test::write_text(tmp / "shim", "old");
  ASSERT_TRUE(replace_symlink(tmp / "shim", "/opt/rtx-shim"));
  EXPECT_EQ(test::link_target(tmp / "shim"), "/opt/rtx-shim");
}

TEST(ReplaceSymlink, MissingDirectoryFailsAndCreatesNothing) {
  test::ScopedTempDir tmp;
  Status st = replace_symlink(tmp / "nope/link", "target");
  ASSERT_FALSE(st);
  EXPECT_THAT(st.error(), HasSubstr(tmp / "nope"));
  EXPECT_THAT(list_dir(tmp.path()), ElementsAre());
}

// A reader never sees the link missing while it is flipped back and forth:
// rename(2) replaces it in one step (this is what the shim's fast path relies on).
TEST(ReplaceSymlink, ReadersNeverSeeTheLinkMissing) {
  test::ScopedTempDir tmp;
  std::string link = tmp / "latest";
  ASSERT_TRUE(replace_symlink(link, "1.0.0"));
  std::atomic<bool> stop{false};
  std::atomic<int> missing{0}, reads{0};
  std::thread reader([&] {
    char buf[64];
    while (!stop.load()) {
      ssize_t n = ::readlink(link.c_str(), buf, sizeof buf);
      if (n <= 0) missing.fetch_add(1);
      reads.fetch_add(1);
    }
  });
  int failed_flips = 0;
  for (int i = 0; i < 300; ++i) failed_flips += replace_symlink(link, i % 2 ? "1.0.0" : "2.0.0") ? 0 : 1;
  stop = true;
  reader.join();
  EXPECT_EQ(failed_flips, 0);
  EXPECT_GT(reads.load(), 0);
  EXPECT_EQ(missing.load(), 0);
  EXPECT_EQ(test::link_target(link), "1.0.0");
  EXPECT_THAT(list_dir(tmp.path()), ElementsAre("latest"));
}

}  // namespace
}  // namespace rtx::store
