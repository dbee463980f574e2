// The cache of remote versions completion reads (manager/backends/
// remote_versions_cache.hpp): what rtx writes comes back, fresh for the TTL
// and stale after it; a file rtx could not have written is refused whole.
#include "manager/backends/remote_versions_cache.hpp"

#include <fcntl.h>
#include <gtest/gtest.h>
#include <sys/stat.h>
#include <unistd.h>

#include <fstream>

#include "tests/support/scoped_env.hpp"
#include "tests/support/temp_dir.hpp"

using namespace rtx;
using rtx::test::ScopedEnv;
using rtx::test::ScopedTempDir;

namespace {

using RemoteVersionList = std::vector<std::string>;
constexpr std::chrono::seconds kRemoteTestTtl{3600};

void write_raw_remote_versions(const std::string& path, const std::string& text) {
  ::mkdir(path.substr(0, path.rfind('/')).c_str(), 0755);
  std::ofstream(path, std::ios::binary) << text;
}

// Moves the file's mtime `seconds` away from now (negative: into the future).
void age_remote_versions_file(const std::string& path, long seconds) {
  struct stat st {};
  ASSERT_EQ(::stat(path.c_str(), &st), 0);
  timespec times[2] = {st.st_atim, st.st_mtim};
  times[0].tv_sec -= seconds;
  times[1].tv_sec -= seconds;
  ASSERT_EQ(::utimensat(AT_FDCWD, path.c_str(), times, 0), 0);
}

TEST(RemoteVersionsCache, WhatIsSavedComesBackFreshInItsOrder) {
  ScopedTempDir tmp;
  RemoteVersionList v{"18.19.1", "20.10.0", "21.6.2"};
  ASSERT_TRUE(backends::save_remote_versions(tmp.path(), "node", v));
  EXPECT_EQ(backends::remote_versions_path(tmp.path(), "node"), tmp / "remote-versions/node");
  auto got = backends::load_remote_versions(tmp.path(), "node", kRemoteTestTtl);
  EXPECT_TRUE(got.present);
  EXPECT_TRUE(got.fresh);
  EXPECT_EQ(got.versions, v);
  // An npm package's '/' does not make a folder.
  ASSERT_TRUE(backends::save_remote_versions(tmp.path(), "npm:@scope/pkg", {"1.0.0"}));
  EXPECT_EQ(backends::load_remote_versions(tmp.path(), "npm:@scope/pkg", kRemoteTestTtl).versions,
            RemoteVersionList{"1.0.0"});
  EXPECT_EQ(backends::load_remote_versions(tmp.path(), "python", kRemoteTestTtl).present, false);
}

TEST(RemoteVersionsCache, OlderThanTheTtlIsStaleButStillThere) {
  ScopedTempDir tmp;
  ASSERT_TRUE(backends::save_remote_versions(tmp.path(), "node", {"20.10.0"}));
  std::string path = backends::remote_versions_path(tmp.path(), "node");
  age_remote_versions_file(path, 3 * 3600);
  auto got = backends::load_remote_versions(tmp.path(), "node", kRemoteTestTtl);
  EXPECT_TRUE(got.present);
  EXPECT_FALSE(got.fresh);
  EXPECT_EQ(got.versions, RemoteVersionList{"20.10.0"});
  EXPECT_TRUE(backends::load_remote_versions(tmp.path(), "node", std::chrono::hours(4)).fresh);
  EXPECT_FALSE(backends::load_remote_versions(tmp.path(), "node", std::chrono::seconds(0)).fresh);
  age_remote_versions_file(path, -2 * 3 * 3600);  // now 3 h ahead of the clock
  EXPECT_FALSE(backends::load_remote_versions(tmp.path(), "node", kRemoteTestTtl).fresh);
}

TEST(RemoteVersionsCache, BadVersionsAreNeverWritten) {
  ScopedTempDir tmp;
  ASSERT_TRUE(backends::save_remote_versions(tmp.path(), "node", {"1.0.0", "../../etc", "", "a b", "2.0.0"}));
  std::ifstream in(backends::remote_versions_path(tmp.path(), "node"));
  std::string text((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
  EXPECT_EQ(text, "1.0.0\n2.0.0\n");
}

TEST(RemoteVersionsCache, OneCorruptLineRefusesTheWholeFile) {
  ScopedTempDir tmp;
  std::string path = backends::remote_versions_path(tmp.path(), "node");
  std::vector<std::string> corrupt{"1.0.0\n../../x\n",  "1.0.0\n\n2.0.0\n",
                                   "1.0.0\nrm -rf ~\n", std::string("1.0\0.0\n", 7),
                                   "1.0.0\n2.0.",       "1.0.0\n" + std::string(200, '9') + "\n"};
  for (const auto& text : corrupt) {
    SCOPED_TRACE(text);
    write_raw_remote_versions(path, text);
    auto got = backends::load_remote_versions(tmp.path(), "node", kRemoteTestTtl);
    EXPECT_FALSE(got.present);
    EXPECT_FALSE(got.fresh);
    EXPECT_TRUE(got.versions.empty());
  }
  write_raw_remote_versions(path, "1.0.0\n2.0.0\n");  // the same file, well formed
  EXPECT_EQ(backends::load_remote_versions(tmp.path(), "node", kRemoteTestTtl).versions,
            (RemoteVersionList{"1.0.0", "2.0.0"}));
}

TEST(RemoteVersionsCache, ASymlinkOrAFolderIsNotTheCache) {
  ScopedTempDir tmp;
  std::string path = backends::remote_versions_path(tmp.path(), "node");
  write_raw_remote_versions(tmp / "elsewhere", "1.0.0\n");
  ::mkdir((tmp / "remote-versions").c_str(), 0755);
  ASSERT_EQ(::symlink((tmp / "elsewhere").c_str(), path.c_str()), 0);
  EXPECT_FALSE(backends::load_remote_versions(tmp.path(), "node", kRemoteTestTtl).present);
  ASSERT_EQ(::unlink(path.c_str()), 0);
  ASSERT_EQ(::mkdir(path.c_str(), 0755), 0);
  EXPECT_FALSE(backends::load_remote_versions(tmp.path(), "node", kRemoteTestTtl).present);
}

TEST(RemoteVersionsCache, TtlFromTheEnvironment) {
  {
    ScopedEnv unset("RTX_REMOTE_CACHE_TTL", nullptr);
    EXPECT_EQ(backends::remote_cache_ttl(), backends::kDefaultRemoteCacheTtl);
  }
  {
    ScopedEnv zero("RTX_REMOTE_CACHE_TTL", "0");
    EXPECT_EQ(backends::remote_cache_ttl(), std::chrono::seconds(0));
  }
  {
    ScopedEnv minute("RTX_REMOTE_CACHE_TTL", "60");
    EXPECT_EQ(backends::remote_cache_ttl(), std::chrono::seconds(60));
  }
  for (const char* bad : {"1h", "-5", " 60", "99999999999999999999"}) {
    ScopedEnv odd("RTX_REMOTE_CACHE_TTL", bad);
    EXPECT_EQ(backends::remote_cache_ttl(), backends::kDefaultRemoteCacheTtl) << bad;
  }
}

}  // namespace
