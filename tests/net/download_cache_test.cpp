// The download cache: $RTX_CACHE_DIR/downloads/<algo>-<hex>/<filename>.
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <thread>

#include "manager/net/download_cache.hpp"
#include "manager/net/downloader.hpp"
#include "net_fixture.hpp"

namespace rtx::net {
namespace {

using ::testing::ElementsAre;
using ::testing::HasSubstr;
using ::testing::IsEmpty;
using DownloadCache = test::NetTest;

class CachedDownload : public test::NetTest {
 protected:
  DownloadRequest cached_request(const std::string& path, const std::string& body) {
    DownloadRequest req = request_for(path);
    req.dest.clear();  // the cache decides where the file lives
    req.cache_dir = tmp / "cache";
    req.expected = test::sha256_of(body);
    return req;
  }
};

TEST_F(CachedDownload, LandsUnderTheChecksumKeyedFolder) {
  std::string body = test::random_bytes(100'000, 31);
  server.add_file("/v20.1.0/node-v20.1.0-linux-x64.tar.xz", body);
  auto req = cached_request("/v20.1.0/node-v20.1.0-linux-x64.tar.xz", body);
  auto got = download(req);
  ASSERT_TRUE(got) << got.error();
  std::string entry = "downloads/sha256-" + req.expected->hex;
  EXPECT_EQ(got->path, tmp / "cache/" + entry + "/node-v20.1.0-linux-x64.tar.xz");
  EXPECT_THAT(test::files_under(tmp / "cache"), ElementsAre(entry + "/node-v20.1.0-linux-x64.tar.xz"));
  EXPECT_EQ(test::read_file(got->path), body);
}

TEST_F(CachedDownload, ASecondDownloadMakesNoRequestAtAll) {
  std::string body = test::random_bytes(100'000, 32);
  server.add_file("/tool.tgz", body);
  auto req = cached_request("/tool.tgz", body);
  ASSERT_TRUE(download(req));
  ASSERT_EQ(server.total_requests(), 1);

  req.url = server.url("/another/mirror/tool.tgz");  // the key is the checksum, not the URL
  auto again = download(req);
  ASSERT_TRUE(again) << again.error();
  EXPECT_TRUE(again->from_cache);
  EXPECT_EQ(again->attempts, 0);
  EXPECT_EQ(again->size, body.size());
  EXPECT_EQ(server.total_requests(), 1);
}

TEST_F(CachedDownload, ACorruptedEntryIsDeletedAndFetchedAgain) {
  std::string body = test::random_bytes(50'000, 33);
  server.add_file("/tool.tgz", body);
  auto req = cached_request("/tool.tgz", body);
  auto first = download(req);
  ASSERT_TRUE(first);
  test::write_file(first->path, "bit rot");
  auto again = download(req);
  ASSERT_TRUE(again) << again.error();
  EXPECT_FALSE(again->from_cache);
  EXPECT_EQ(server.total_requests(), 2);
  EXPECT_EQ(test::read_file(again->path), body);
}

TEST_F(CachedDownload, WrongChecksumFailsNamingBothAndLeavesNothingInTheCache) {
  std::string body = test::random_bytes(20'000, 34);
  server.add_file("/tampered.tgz", body);
  auto req = cached_request("/tampered.tgz", "what the mirror's SHASUMS256.txt promised");
  auto got = download(req);
  ASSERT_FALSE(got);
  EXPECT_EQ(got.error(), "download of " + req.url + " failed: checksum mismatch: expected " +
                             req.expected->to_string() + ", got " + test::sha256_of(body).to_string() +
                             ": the server sent a different file; try again, or report it to the mirror");
  EXPECT_THAT(test::files_under(tmp / "cache"), IsEmpty());
  EXPECT_THAT(test::entries_in(tmp / "cache/downloads"), IsEmpty());
}

TEST_F(DownloadCache, WrongChecksumWithoutACacheLeavesNoFileEither) {
  server.add_file("/f", "actual");
  auto req = request_for("/f");
  req.expected = test::sha256_of("expected");
  req.hint = "check the mirror (RTX_NODE_MIRROR)";
  auto got = download(req);
  ASSERT_FALSE(got);
  EXPECT_THAT(got.error(), HasSubstr("checksum mismatch"));
  EXPECT_THAT(got.error(), testing::EndsWith(": check the mirror (RTX_NODE_MIRROR)"));
  EXPECT_THAT(test::files_under(tmp.path()), IsEmpty());
}

TEST_F(CachedDownload, PermanentFailuresLeaveNoEmptyEntryFolder) {
  auto req = cached_request("/missing", "x");
  server.add_status("/missing", 404);
  ASSERT_FALSE(download(req));
  EXPECT_THAT(test::entries_in(tmp / "cache/downloads"), IsEmpty());
}

TEST_F(CachedDownload, ConcurrentDownloadsOfOneArtifactFetchItOnce) {
  // The second rtx waits on the .part's lock, then finds the finished file.
  std::string body = test::random_bytes(2'000'000, 35);
  server.add_file("/shared.tgz", body);
  auto req = cached_request("/shared.tgz", body);
  Expected<DownloadResult> a = make_error("not run"), b = make_error("not run");
  std::thread t1([&] { a = download(req); });
  std::thread t2([&] { b = download(req); });
  t1.join();
  t2.join();
  ASSERT_TRUE(a) << a.error();
  ASSERT_TRUE(b) << b.error();
  EXPECT_EQ(server.total_requests(), 1);
  EXPECT_EQ(a->path, b->path);
  EXPECT_TRUE(a->from_cache != b->from_cache);
  EXPECT_EQ(test::read_file(a->path), body);
}

TEST(DownloadCacheNames, FilenameComesFromTheUrlPath) {
  EXPECT_EQ(filename_from_url("https://nodejs.org/dist/v20.1.0/node-v20.1.0-linux-x64.tar.xz"),
            "node-v20.1.0-linux-x64.tar.xz");
  EXPECT_EQ(filename_from_url("https://go.dev/dl/go1.22.0.linux-amd64.tar.gz?mode=json#x"),
            "go1.22.0.linux-amd64.tar.gz");
  EXPECT_EQ(filename_from_url("https://registry.example/"), "download");
  EXPECT_EQ(filename_from_url("https://registry.example"), "download");
  EXPECT_EQ(filename_from_url("https://h/a/.."), "download");
}

}  // namespace
}  // namespace rtx::net
