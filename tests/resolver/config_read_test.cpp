// Which config files count (DESIGN.md §4): regular files of at most 1 MiB owned
// by the user or root; FIFOs and devices never block; others' files only in
// trusted directories.
#include <gtest/gtest.h>
#include <sys/stat.h>
#include <unistd.h>

#include "fs_helpers.hpp"
#include "resolver/config_read.hpp"
#include "tests/support/scoped_env.hpp"
#include "tests/support/temp_dir.hpp"

namespace rtx::resolver {
namespace {

class ConfigReadTest : public ::testing::Test {
 protected:
  std::string path(const std::string& name) const { return tmp / name; }
  test::ScopedTempDir tmp;
};

TEST_F(ConfigReadTest, ARegularFileOfTheUserIsRead) {
  test::write_file(path("rtx.toml"), "[tools]\nnode = \"20\"\n");
  ConfigRead r = read_config(path("rtx.toml"), {});
  EXPECT_EQ(r.access, ConfigAccess::Read);
  EXPECT_EQ(r.text, "[tools]\nnode = \"20\"\n");
}

TEST_F(ConfigReadTest, MissingIsAbsent) {
  EXPECT_EQ(read_config(path("nope"), {}).access, ConfigAccess::Absent);
  test::write_file(path("file"), "");
  EXPECT_EQ(read_config(path("file/rtx.toml"), {}).access, ConfigAccess::Absent);
}

TEST_F(ConfigReadTest, FifosDevicesAndDirectoriesAreSkippedWithoutBlocking) {
  ASSERT_EQ(::mkfifo(path("fifo").c_str(), 0644), 0);
  EXPECT_EQ(read_config(path("fifo"), {}).access, ConfigAccess::NotRegular);
  test::make_symlink("/dev/zero", path("zero"));
  EXPECT_EQ(read_config(path("zero"), {}).access, ConfigAccess::NotRegular);
  test::make_dirs(path("dir"));
  EXPECT_EQ(read_config(path("dir"), {}).access, ConfigAccess::NotRegular);
  test::make_symlink(path("loop"), path("loop"));
  EXPECT_EQ(read_config(path("loop"), {}).access, ConfigAccess::NotRegular);
}

TEST_F(ConfigReadTest, OverOneMebibyteIsTooLarge) {
  test::write_file(path("exact"), std::string(kMaxConfigBytes, '#'));
  EXPECT_EQ(read_config(path("exact"), {}).access, ConfigAccess::Read);
  test::write_file(path("big"), std::string(kMaxConfigBytes + 1, '#'));
  ConfigRead r = read_config(path("big"), {});
  EXPECT_EQ(r.access, ConfigAccess::TooLarge);
  EXPECT_TRUE(r.text.empty());
}

TEST_F(ConfigReadTest, AnotherUsersFileIsForeignUnlessItsDirectoryIsTrusted) {
  if (::geteuid() != 0) GTEST_SKIP() << "needs root to chown";
  test::write_file(path("shared/rtx.toml"), "[tools]\n");
  ASSERT_EQ(::chown(path("shared/rtx.toml").c_str(), 65534, 65534), 0);
  ConfigRead r = read_config(path("shared/rtx.toml"), {});
  EXPECT_EQ(r.access, ConfigAccess::Foreign);
  EXPECT_EQ(r.owner, 65534u);
  EXPECT_EQ(read_config(path("shared/rtx.toml"), {path("shared")}).access, ConfigAccess::Read);
  EXPECT_EQ(read_config(path("shared/rtx.toml"), {path("shar")}).access, ConfigAccess::Foreign) << "whole components";
  EXPECT_EQ(read_config(path("shared/rtx.toml"), {"relative"}).access, ConfigAccess::Foreign);
}

TEST(TrustedPaths, FromTheGlobalConfigAndTheEnvironment) {
  test::ScopedEnv env("RTX_TRUSTED_CONFIG_PATHS", "/srv/a::relative:/srv/b");
  auto dirs = trusted_config_paths("[settings]\ntrusted_config_paths = [\"/shared\", \"rel\", 3]\n");
  EXPECT_EQ(dirs, (std::vector<std::string>{"/srv/a", "/srv/b", "/shared"}));
  EXPECT_EQ(trusted_config_paths("not toml ["), (std::vector<std::string>{"/srv/a", "/srv/b"}));
}

TEST(TrustedPaths, UnderAnyMatchesWholeComponents) {
  EXPECT_TRUE(is_under_any("/a/b/rtx.toml", {"/a"}));
  EXPECT_TRUE(is_under_any("/a/b/rtx.toml", {"/a/b/"}));
  EXPECT_FALSE(is_under_any("/ab/rtx.toml", {"/a"}));
  EXPECT_FALSE(is_under_any("/a", {"/a"}));
  EXPECT_TRUE(is_under_any("/x", {"/"}));
}

}  // namespace
}  // namespace rtx::resolver
