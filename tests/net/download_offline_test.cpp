// RTX_OFFLINE in the downloader (manager/net/offline.hpp): an http(s) request
// fails before connecting (the server sees nothing), saying what was needed;
// a cache hit and a file:// URL still work; a bad value is one error line.
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "manager/net/downloader.hpp"
#include "net_fixture.hpp"

namespace rtx::net {
namespace {

using ::testing::HasSubstr;
using ::testing::StartsWith;
using OfflineDownload = test::NetTest;

TEST_F(OfflineDownload, AnHttpRequestFailsBeforeConnectingAndSaysWhatItNeeded) {
  std::string body = test::random_bytes(10'000, 71);
  server.add_file("/v20.11.1/node-v20.11.1-linux-x64.tar.xz", body);
  test::ScopedEnv offline("RTX_OFFLINE", "1");
  auto req = request_for("/v20.11.1/node-v20.11.1-linux-x64.tar.xz");
  req.dest.clear();
  req.cache_dir = tmp / "cache";
  req.expected = test::sha256_of(body);
  auto got = download(req);
  ASSERT_FALSE(got);
  EXPECT_EQ(got.error(), "offline (RTX_OFFLINE=1): " + req.url + " is not in the download cache (" + tmp / "cache" +
                             "/downloads/sha256-" + req.expected->hex +
                             "): run the command once with the network (without RTX_OFFLINE or --offline), or serve "
                             "a copy from a file:// mirror, then retry");
  EXPECT_EQ(server.total_requests(), 0);
  EXPECT_TRUE(test::files_under(tmp / "cache").empty()) << "nothing created on the way out";

  auto plain = request_for("/v20.11.1/node-v20.11.1-linux-x64.tar.xz");  // no cache: a `dest` download
  auto refused = download(plain);
  ASSERT_FALSE(refused);
  EXPECT_THAT(refused.error(), StartsWith("offline (RTX_OFFLINE=1): " + plain.url + " would have to be fetched: "));
  EXPECT_EQ(server.total_requests(), 0);
  EXPECT_FALSE(test::exists(plain.dest + ".part"));
}

TEST_F(OfflineDownload, ACacheHitIsServedWithNoNetwork) {
  std::string body = test::random_bytes(20'000, 72);
  server.add_file("/tool.tgz", body);
  auto req = request_for("/tool.tgz");
  req.dest.clear();
  req.cache_dir = tmp / "cache";
  req.expected = test::sha256_of(body);
  ASSERT_TRUE(download(req));
  ASSERT_EQ(server.total_requests(), 1);

  test::ScopedEnv offline("RTX_OFFLINE", "true");
  auto again = download(req);
  ASSERT_TRUE(again) << again.error();
  EXPECT_TRUE(again->from_cache);
  EXPECT_EQ(test::read_file(again->path), body);
  EXPECT_EQ(server.total_requests(), 1);
}

TEST_F(OfflineDownload, AFileUrlStillWorks) {
  std::string body = test::random_bytes(5'000, 73);
  test::write_file(tmp / "mirror/tool.tgz", body);
  test::ScopedEnv offline("RTX_OFFLINE", "yes");
  auto req = request_for("/unused");
  req.url = "file://" + tmp / "mirror/tool.tgz";
  req.expected = test::sha256_of(body);
  auto got = download(req);
  ASSERT_TRUE(got) << got.error();
  EXPECT_EQ(test::read_file(got->path), body);
}

TEST_F(OfflineDownload, ABadValueIsOneErrorLineAndNoRequest) {
  server.add_file("/x", "x");
  test::ScopedEnv offline("RTX_OFFLINE", "sometimes");
  auto got = download(request_for("/x"));
  ASSERT_FALSE(got);
  EXPECT_EQ(got.error(),
            "RTX_OFFLINE='sometimes' is not a yes/no value: set it to 1 (no network at all) or 0, or unset it");
  EXPECT_EQ(server.total_requests(), 0);
}

TEST_F(OfflineDownload, ZeroMeansOnline) {
  server.add_file("/x", "x");
  test::ScopedEnv offline("RTX_OFFLINE", "0");
  auto got = download(request_for("/x"));
  ASSERT_TRUE(got) << got.error();
  EXPECT_EQ(server.total_requests(), 1);
  EXPECT_THAT(test::read_file(got->path), HasSubstr("x"));
}

}  // namespace
}  // namespace rtx::net
