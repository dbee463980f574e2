// The copies of remote documents kept for offline use (manager/backends/core/
// metadata_cache.hpp): what rtx writes comes back with its fetch time; an
// entry rtx could not have written (damaged, cut, for another URL, too large,
// a symlink, a FIFO) is ignored as if absent, and offline_metadata() then
// says how to fetch the document.
#include "manager/backends/core/metadata_cache.hpp"

#include <gmock/gmock.h>
#include <gtest/gtest.h>
#include <sys/stat.h>
#include <unistd.h>

#include <chrono>
#include <filesystem>
#include <fstream>
#include <sstream>

#include "manager/net/offline.hpp"
#include "tests/support/scoped_env.hpp"
#include "tests/support/temp_dir.hpp"

using namespace rtx;
using backends::core::load_metadata;
using backends::core::metadata_cache_path;
using backends::core::save_metadata;
using rtx::test::ScopedEnv;
using rtx::test::ScopedTempDir;
using ::testing::HasSubstr;
using ::testing::StartsWith;

namespace {

constexpr const char* kIndexUrl = "https://nodejs.org/dist/index.json";
constexpr std::uint64_t kLimit = 1 << 20;

std::string slurp_metadata(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  std::ostringstream s;
  s << in.rdbuf();
  return s.str();
}

void put_metadata(const std::string& path, const std::string& bytes) {
  std::ofstream(path, std::ios::binary | std::ios::trunc) << bytes;
}

std::int64_t now_seconds() {
  return std::chrono::duration_cast<std::chrono::seconds>(std::chrono::system_clock::now().time_since_epoch()).count();
}

TEST(MetadataCache, WhatIsSavedComesBackWithItsFetchTime) {
  ScopedTempDir tmp;
  std::string doc = "[{\"version\":\"v20.11.1\"}]\n";
  ASSERT_TRUE(save_metadata(tmp.path(), kIndexUrl, doc, 1'700'000'000));
  std::string path = metadata_cache_path(tmp.path(), kIndexUrl);
  EXPECT_THAT(path, StartsWith(tmp / "metadata/"));
  EXPECT_EQ(path.size(), (tmp / "metadata/").size() + 64) << "the key is the URL's sha256";
  auto got = load_metadata(tmp.path(), kIndexUrl, kLimit);
  ASSERT_TRUE(got);
  EXPECT_EQ(got->text, doc);
  EXPECT_EQ(got->fetched_at, 1'700'000'000);
  // Another URL is another entry; none for it yet.
  EXPECT_FALSE(load_metadata(tmp.path(), "https://nodejs.org/dist/v20.11.1/SHASUMS256.txt", kLimit));
  // A newer fetch replaces the copy, and the write leaves no temporary behind.
  ASSERT_TRUE(save_metadata(tmp.path(), kIndexUrl, "[]\n", 1'700'000'500));
  EXPECT_EQ(load_metadata(tmp.path(), kIndexUrl, kLimit)->text, "[]\n");
  auto files = std::distance(std::filesystem::directory_iterator(tmp / "metadata"), {});
  EXPECT_EQ(files, 1) << "metadata/ holds only the one entry file";
}

TEST(MetadataCache, AnEmptyOrBinaryDocumentRoundTrips) {
  ScopedTempDir tmp;
  ASSERT_TRUE(save_metadata(tmp.path(), kIndexUrl, "", 1));
  EXPECT_EQ(load_metadata(tmp.path(), kIndexUrl, kLimit)->text, "");
  std::string binary("a\0b\nrtx-metadata 1\n\xff", 21);
  ASSERT_TRUE(save_metadata(tmp.path(), kIndexUrl, binary, 2));
  EXPECT_EQ(load_metadata(tmp.path(), kIndexUrl, kLimit)->text, binary);
}

TEST(MetadataCache, ADamagedEntryIsIgnoredNeverTrusted) {
  ScopedTempDir tmp;
  ASSERT_TRUE(save_metadata(tmp.path(), kIndexUrl, "[\"the real index\"]\n", 1'700'000'000));
  std::string path = metadata_cache_path(tmp.path(), kIndexUrl);
  std::string good = slurp_metadata(path);

  std::string flipped = good;
  flipped[flipped.size() - 3] ^= 0x20;  // one bit of the body
  put_metadata(path, flipped);
  EXPECT_FALSE(load_metadata(tmp.path(), kIndexUrl, kLimit)) << "checksum";

  put_metadata(path, good.substr(0, good.size() - 4));
  EXPECT_FALSE(load_metadata(tmp.path(), kIndexUrl, kLimit)) << "cut short";

  put_metadata(path, good + "more");
  EXPECT_FALSE(load_metadata(tmp.path(), kIndexUrl, kLimit)) << "trailing bytes";

  put_metadata(path, "");
  EXPECT_FALSE(load_metadata(tmp.path(), kIndexUrl, kLimit)) << "empty";

  put_metadata(path, "{\"not\":\"an entry\"}");
  EXPECT_FALSE(load_metadata(tmp.path(), kIndexUrl, kLimit)) << "no header";

  // An entry for another URL under this URL's name (a copied file).
  put_metadata(path, backends::core::format_metadata_entry("https://evil.example/index.json", 1, "[]"));
  EXPECT_FALSE(load_metadata(tmp.path(), kIndexUrl, kLimit)) << "another URL";

  put_metadata(path, good);
  EXPECT_TRUE(load_metadata(tmp.path(), kIndexUrl, kLimit)) << "the intact entry still reads";
}

TEST(MetadataCache, LargerThanTheDocumentLimitIsIgnored) {
  ScopedTempDir tmp;
  std::string big(64 * 1024, 'x');
  ASSERT_TRUE(save_metadata(tmp.path(), kIndexUrl, big, 1));
  EXPECT_TRUE(load_metadata(tmp.path(), kIndexUrl, big.size()));
  EXPECT_FALSE(load_metadata(tmp.path(), kIndexUrl, big.size() - 1)) << "the limit of RTX_MAX_METADATA_BYTES holds";
  // A huge file is refused by its size, before anything is read.
  std::string path = metadata_cache_path(tmp.path(), kIndexUrl);
  ASSERT_EQ(::truncate(path.c_str(), off_t(64) << 20), 0);
  EXPECT_FALSE(load_metadata(tmp.path(), kIndexUrl, 1 << 20));
}

TEST(MetadataCache, ASymlinkFifoOrFolderUnderTheNameIsIgnored) {
  ScopedTempDir tmp;
  ASSERT_TRUE(save_metadata(tmp.path(), kIndexUrl, "[]", 1));
  std::string path = metadata_cache_path(tmp.path(), kIndexUrl);
  std::string elsewhere = tmp / "planted";
  ASSERT_EQ(::rename(path.c_str(), elsewhere.c_str()), 0);
  ASSERT_EQ(::symlink(elsewhere.c_str(), path.c_str()), 0);
  EXPECT_FALSE(load_metadata(tmp.path(), kIndexUrl, kLimit)) << "a symlink, even to a valid entry";
  ASSERT_EQ(::unlink(path.c_str()), 0);
  ASSERT_EQ(::mkfifo(path.c_str(), 0644), 0);
  EXPECT_FALSE(load_metadata(tmp.path(), kIndexUrl, kLimit)) << "a FIFO (and the read does not hang)";
  ASSERT_EQ(::unlink(path.c_str()), 0);
  ASSERT_EQ(::mkdir(path.c_str(), 0755), 0);
  EXPECT_FALSE(load_metadata(tmp.path(), kIndexUrl, kLimit)) << "a folder";
  // And saving over a folder fails with an error rather than crashing.
  EXPECT_FALSE(save_metadata(tmp.path(), kIndexUrl, "[]", 1));
}

TEST(MetadataCache, AUrlWithControlCharactersIsNotKept) {
  ScopedTempDir tmp;
  EXPECT_FALSE(save_metadata(tmp.path(), "https://x/a\nfetched 1", "[]", 1));
  EXPECT_FALSE(save_metadata(tmp.path(), std::string(9000, 'h'), "[]", 1));
  EXPECT_FALSE(save_metadata(tmp.path(), "", "[]", 1));
}

TEST(MetadataCache, OfflineServesTheCopyAndOtherwiseSaysHowToFetchIt) {
  ScopedTempDir tmp;
  ScopedEnv offline("RTX_OFFLINE", "1");
  auto missing = backends::core::offline_metadata(tmp.path(), kIndexUrl, kLimit);
  ASSERT_FALSE(missing);
  EXPECT_THAT(missing.error(), StartsWith("offline (RTX_OFFLINE=1): https://nodejs.org/dist/index.json was never "
                                          "fetched with the network"));
  EXPECT_THAT(missing.error(), HasSubstr("run the command once with the network"));
  EXPECT_EQ(missing.error().find('\n'), std::string::npos);

  ASSERT_TRUE(save_metadata(tmp.path(), kIndexUrl, "[1]", now_seconds() - 3 * 3600));
  auto got = backends::core::offline_metadata(tmp.path(), kIndexUrl, kLimit);
  ASSERT_TRUE(got) << got.error();
  EXPECT_EQ(*got, "[1]");
}

TEST(OfflineMode, ReadsRtxOfflineAndRefusesOddValues) {
  {
    ScopedEnv unset("RTX_OFFLINE", nullptr);
    EXPECT_FALSE(*net::offline_mode());
  }
  for (const char* yes : {"1", "true", "YES", "On"}) {
    ScopedEnv on("RTX_OFFLINE", yes);
    ASSERT_TRUE(net::offline_mode());
    EXPECT_TRUE(*net::offline_mode()) << yes;
  }
  for (const char* no : {"", "0", "false", "No", "off"}) {
    ScopedEnv off("RTX_OFFLINE", no);
    ASSERT_TRUE(net::offline_mode());
    EXPECT_FALSE(*net::offline_mode()) << no;
  }
  ScopedEnv bad("RTX_OFFLINE", "maybe");
  auto got = net::offline_mode();
  ASSERT_FALSE(got);
  EXPECT_EQ(got.error(),
            "RTX_OFFLINE='maybe' is not a yes/no value: set it to 1 (no network at all) or 0, or unset it");
}

TEST(OfflineMode, OnlyHttpNeedsTheNetworkAndAgesReadAsPeopleSayThem) {
  EXPECT_TRUE(net::needs_network("https://nodejs.org/dist/index.json"));
  EXPECT_TRUE(net::needs_network("HTTP://127.0.0.1:8080/x"));
  EXPECT_FALSE(net::needs_network("file:///srv/mirror/index.json"));
  EXPECT_FALSE(net::needs_network("/srv/mirror/index.json"));
  EXPECT_FALSE(net::needs_network("http:/x"));
  EXPECT_EQ(net::format_age(std::chrono::seconds(-5)), "0 s");
  EXPECT_EQ(net::format_age(std::chrono::seconds(59)), "59 s");
  EXPECT_EQ(net::format_age(std::chrono::seconds(3 * 60 + 5)), "3 min");
  EXPECT_EQ(net::format_age(std::chrono::seconds(3 * 3600 + 100)), "3 h");
  EXPECT_EQ(net::format_age(std::chrono::seconds(5 * 86400)), "5 d");
}

}  // namespace
