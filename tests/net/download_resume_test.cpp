// Resume: a .part is continued with "Range: bytes=<size>-", within a run (a
// retry) and across runs, and started over when the server cannot resume.
#include <fcntl.h>
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <thread>

#include "manager/net/downloader.hpp"
#include "net_fixture.hpp"
#include "resolver/unique_fd.hpp"

namespace rtx::net {
namespace {

using ::testing::ElementsAre;
using ::testing::HasSubstr;
using DownloadResume = test::NetTest;

TEST_F(DownloadResume, TruncatedBodyIsRetriedWithRangeAndAppended) {
  std::string body = test::random_bytes(1'000'000, 21);
  server.add_truncating("/cut.tar.xz", body, 1);
  auto req = request_for("/cut.tar.xz");
  req.expected = test::sha256_of(body);
  auto got = download(req);
  ASSERT_TRUE(got) << got.error();
  EXPECT_EQ(server.request_count("/cut.tar.xz"), 2);
  EXPECT_EQ(server.last_request("/cut.tar.xz")->header("range"), "bytes=500000-");
  EXPECT_TRUE(got->resumed);
  EXPECT_EQ(got->attempts, 2);
  EXPECT_EQ(test::read_file(req.dest), body);
  EXPECT_FALSE(test::exists(req.dest + ".part"));
}

TEST_F(DownloadResume, StallThenRetryResumesInTheSameRun) {
  std::string body = test::random_bytes(300'000, 22);
  server.add_stalling("/stall-once", body, 1);
  auto req = request_for("/stall-once");
  req.expected = test::sha256_of(body);
  req.stall_timeout = std::chrono::seconds(1);
  auto got = download(req);
  ASSERT_TRUE(got) << got.error();
  EXPECT_EQ(server.last_request("/stall-once")->header("range"), "bytes=150000-");
  EXPECT_EQ(test::read_file(req.dest), body);
}

TEST_F(DownloadResume, ALaterRunContinuesThePartLeftBehind) {
  std::string body = test::random_bytes(600'000, 23);
  auto req = request_for("/tool.tgz");
  req.expected = test::sha256_of(body);
  test::write_file(req.dest + ".part", body.substr(0, 250'000));  // what a killed run left
  server.add_file("/tool.tgz", body);
  auto got = download(req);
  ASSERT_TRUE(got) << got.error();
  EXPECT_EQ(server.request_count("/tool.tgz"), 1);
  EXPECT_EQ(server.last_request("/tool.tgz")->header("range"), "bytes=250000-");
  EXPECT_TRUE(got->resumed);
  EXPECT_EQ(test::read_file(req.dest), body);
}

TEST_F(DownloadResume, APartThatIsAlreadyCompleteIsVerifiedAndCommitted) {
  // Killed between the last byte and the rename: the server answers 416.
  std::string body = test::random_bytes(70'000, 24);
  auto req = request_for("/whole");
  req.expected = test::sha256_of(body);
  test::write_file(req.dest + ".part", body);
  server.add_file("/whole", body);
  auto got = download(req);
  ASSERT_TRUE(got) << got.error();
  EXPECT_EQ(server.last_request("/whole")->header("range"), "bytes=70000-");
  EXPECT_EQ(test::read_file(req.dest), body);
}

TEST_F(DownloadResume, AServerIgnoringRangeRestartsFromZero) {
  // A 200 to a Range request: the .part is truncated, never appended to.
  std::string body = test::random_bytes(80'000, 25);
  auto req = request_for("/no-ranges");
  req.expected = test::sha256_of(body);
  test::write_file(req.dest + ".part", std::string(30'000, 'x'));
  server.add_status("/no-ranges", 200, body);  // a plain 200 whatever the request
  auto got = download(req);
  ASSERT_TRUE(got) << got.error();
  EXPECT_EQ(server.last_request("/no-ranges")->header("range"), "bytes=30000-");
  EXPECT_FALSE(got->resumed);
  EXPECT_EQ(test::read_file(req.dest), body);
}

TEST_F(DownloadResume, A206ForAnotherOffsetIsNeverAppended) {
  // A broken server (or cache in between) answers our Range with the bytes
  // from 0: appending them would corrupt the file; the .part restarts instead.
  std::string body = test::random_bytes(60'000, 29);
  auto req = request_for("/odd");
  req.expected = test::sha256_of(body);
  test::write_file(req.dest + ".part", body.substr(0, 20'000));
  server.add_response("/odd", 206, {{"Content-Range", "bytes 0-59999/60000"}}, body);
  auto got = download(req);
  ASSERT_TRUE(got) << got.error();
  EXPECT_EQ(server.request_count("/odd"), 2);
  EXPECT_EQ(server.last_request("/odd")->header("range"), "");  // the retry starts from zero
  EXPECT_EQ(test::read_file(req.dest), body);
}

TEST_F(DownloadResume, AStalePartFromAnotherBuildIsDiscardedOnMismatchAndFetchedAgain) {
  // The earlier run's bytes belong to a file the URL no longer serves: the
  // resumed result cannot match, so it is fetched once more from the start.
  std::string body = test::random_bytes(90'000, 26);
  auto req = request_for("/rebuilt.tgz");
  req.expected = test::sha256_of(body);
  test::write_file(req.dest + ".part", test::random_bytes(40'000, 99));
  server.add_file("/rebuilt.tgz", body);
  auto got = download(req);
  ASSERT_TRUE(got) << got.error();
  EXPECT_EQ(server.request_count("/rebuilt.tgz"), 2);
  EXPECT_EQ(server.last_request("/rebuilt.tgz")->header("range"), "");
  EXPECT_FALSE(got->resumed);
  EXPECT_EQ(test::read_file(req.dest), body);
}

TEST_F(DownloadResume, WithoutAChecksumAnOldPartIsNotTrusted) {
  std::string body = "fresh bytes";
  auto req = request_for("/unchecked");
  test::write_file(req.dest + ".part", "stale");
  server.add_file("/unchecked", body);
  auto got = download(req);
  ASSERT_TRUE(got) << got.error();
  EXPECT_EQ(server.last_request("/unchecked")->header("range"), "");
  EXPECT_EQ(test::read_file(req.dest), body);
}

TEST_F(DownloadResume, StalledRunThenALaterRunFinishesFromThePart) {
  std::string body = test::random_bytes(200'000, 27);
  server.add_stalling("/later", body);
  auto req = request_for("/later");
  req.expected = test::sha256_of(body);
  req.stall_timeout = std::chrono::seconds(1);
  req.retry.max_attempts = 1;
  ASSERT_FALSE(download(req));
  ASSERT_EQ(test::read_file(req.dest + ".part").size(), 100'000u);

  server.add_file("/later", body);  // the network is back
  auto got = download(req);
  ASSERT_TRUE(got) << got.error();
  EXPECT_EQ(server.last_request("/later")->header("range"), "bytes=100000-");
  EXPECT_EQ(test::read_file(req.dest), body);
}

TEST_F(DownloadResume, TwoDownloadsToOneDestTakeTurnsOnThePart) {
  // The first stalls for a second while holding the .part's lock; the second
  // waits, and once the first has renamed its .part into place, must start a
  // .part of its own rather than write into the file the first just finished.
  std::string body = test::random_bytes(400'000, 28);
  server.add_stalling("/turns", body, 1);
  auto req = request_for("/turns");
  req.expected = test::sha256_of(body);
  req.stall_timeout = std::chrono::seconds(1);
  UniqueFd log(::open((tmp / "second.log").c_str(), O_RDWR | O_CREAT | O_CLOEXEC, 0644));
  auto second_req = req;
  second_req.progress_fd = log.get();

  Expected<DownloadResult> first = make_error("not run"), second = make_error("not run");
  std::thread t1([&] { first = download(req); });
  while (!test::exists(req.dest + ".part")) std::this_thread::sleep_for(std::chrono::milliseconds(5));
  std::this_thread::sleep_for(std::chrono::milliseconds(200));  // the first holds the lock, stalled
  std::thread t2([&] { second = download(second_req); });
  t1.join();
  t2.join();
  ASSERT_TRUE(first) << first.error();
  ASSERT_TRUE(second) << second.error();
  EXPECT_THAT(test::read_file(tmp / "second.log"),
              HasSubstr("waiting for another rtx that is downloading " + req.dest));
  EXPECT_EQ(test::read_file(req.dest), body);
  EXPECT_FALSE(test::exists(req.dest + ".part"));
}

}  // namespace
}  // namespace rtx::net
