// net::download against the faults of DESIGN.md §9: HTTP errors, refused
// connections, stalls, timeouts. Each gives one clean error line.
#include <arpa/inet.h>
#include <fcntl.h>
#include <gmock/gmock.h>
#include <gtest/gtest.h>
#include <netinet/in.h>
#include <sys/socket.h>

#include <chrono>

#include "manager/net/downloader.hpp"
#include "net_fixture.hpp"
#include "resolver/unique_fd.hpp"

namespace rtx::net {
namespace {

using ::testing::ElementsAre;
using ::testing::HasSubstr;
using ::testing::IsEmpty;
using ::testing::Not;
using DownloadFault = test::NetTest;
using Clock = std::chrono::steady_clock;

// A port nobody listens on: bound, read back, closed.
int unused_port() {
  UniqueFd fd(::socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0));
  sockaddr_in addr{};
  addr.sin_family = AF_INET;
  addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  socklen_t len = sizeof addr;
  if (::bind(fd.get(), reinterpret_cast<sockaddr*>(&addr), sizeof addr) != 0 ||
      ::getsockname(fd.get(), reinterpret_cast<sockaddr*>(&addr), &len) != 0)
    ADD_FAILURE() << "cannot bind 127.0.0.1:0";
  return ntohs(addr.sin_port);
}

TEST_F(DownloadFault, NotFoundIsOneLineWithTheHintNoRetryNoFile) {
  server.add_status("/v99.0.0/node.tar.xz", 404, "<html>not here</html>");
  auto req = request_for("/v99.0.0/node.tar.xz");
  req.hint = "check the version or the mirror (RTX_NODE_MIRROR)";
  auto got = download(req);
  ASSERT_FALSE(got);
  EXPECT_EQ(got.error(), "download of " + req.url +
                             " failed: HTTP 404 Not Found: check the version or the mirror (RTX_NODE_MIRROR)");
  EXPECT_EQ(server.request_count("/v99.0.0/node.tar.xz"), 1);
  EXPECT_THAT(test::files_under(tmp.path()), IsEmpty());  // no file, no .part, no error page
}

TEST_F(DownloadFault, ForbiddenWithoutAHintSuggestsCheckingTheUrl) {
  server.add_status("/secret", 403);
  auto req = request_for("/secret");
  auto got = download(req);
  ASSERT_FALSE(got);
  EXPECT_EQ(got.error(), "download of " + req.url + " failed: HTTP 403 Forbidden: check the URL");
  EXPECT_EQ(server.request_count("/secret"), 1);
}

TEST_F(DownloadFault, ServerErrorThenSuccessIsRetried) {
  std::string body = test::random_bytes(50'000, 11);
  server.add_flaky("/flaky.tar.gz", body, 1, 500);
  auto req = request_for("/flaky.tar.gz");
  req.expected = test::sha256_of(body);
  auto got = download(req);
  ASSERT_TRUE(got) << got.error();
  EXPECT_EQ(got->attempts, 2);
  EXPECT_EQ(server.request_count("/flaky.tar.gz"), 2);
  EXPECT_EQ(test::read_file(req.dest), body);
}

TEST_F(DownloadFault, TooManyRequestsIsRetriedWithGrowingBackoff) {
  server.add_flaky("/busy", "ok", 2, 429);
  auto req = request_for("/busy");
  req.retry.first_backoff = std::chrono::milliseconds(100);
  auto start = Clock::now();
  auto got = download(req);
  ASSERT_TRUE(got) << got.error();
  EXPECT_EQ(got->attempts, 3);
  EXPECT_GE(Clock::now() - start, std::chrono::milliseconds(300));  // 100 ms, then 200 ms
}

TEST_F(DownloadFault, PersistentServiceUnavailableGivesUpAfterTheAttemptsAndLeavesNothing) {
  server.add_flaky("/down", "never", 100, 503);
  auto req = request_for("/down");
  auto got = download(req);
  ASSERT_FALSE(got);
  EXPECT_EQ(got.error(), "download of " + req.url +
                             " failed after 3 attempts: HTTP 503 Service Unavailable: the server is failing or busy: "
                             "try again later");
  EXPECT_EQ(server.request_count("/down"), 3);
  EXPECT_THAT(test::files_under(tmp.path()), IsEmpty());
}

TEST_F(DownloadFault, ConnectionRefusedIsRetriedThenOneCleanLine) {
  int port = unused_port();
  auto req = request_for("/x");
  req.url = "http://127.0.0.1:" + std::to_string(port) + "/node.tar.xz";
  req.hint = "check the mirror (RTX_NODE_MIRROR)";
  req.retry.first_backoff = std::chrono::milliseconds(50);
  auto start = Clock::now();
  auto got = download(req);
  ASSERT_FALSE(got);
  EXPECT_GE(Clock::now() - start, std::chrono::milliseconds(150));  // backoffs of 50 and 100 ms: it did retry
  EXPECT_THAT(got.error(), testing::StartsWith("download of " + req.url + " failed after 3 attempts: "));
  EXPECT_THAT(got.error(), HasSubstr("port " + std::to_string(port) + ": connection refused"));
  EXPECT_THAT(got.error(), HasSubstr("HTTPS_PROXY"));
  EXPECT_THAT(got.error(), testing::EndsWith("check the mirror (RTX_NODE_MIRROR)"));
  EXPECT_THAT(got.error(), Not(HasSubstr("\n")));
  EXPECT_THAT(test::files_under(tmp.path()), IsEmpty());
}

TEST_F(DownloadFault, RetryNoticesGoToTheProgressStream) {
  server.add_flaky("/flaky", "ok", 1, 502);
  auto req = request_for("/flaky");
  UniqueFd log(::open((tmp / "log").c_str(), O_RDWR | O_CREAT | O_CLOEXEC, 0644));
  req.progress_fd = log.get();
  ASSERT_TRUE(download(req));
  std::string out = test::read_file(tmp / "log");
  EXPECT_THAT(out, testing::StartsWith("rtx: download of " + req.url +
                                       ": HTTP 502 Bad Gateway; retrying in 0.0 s (attempt 2 of 3)\n"));
  EXPECT_THAT(out, HasSubstr("\ndownloaded " + req.url + ": 2 B in "));
}

TEST_F(DownloadFault, StallMidBodyFailsAndKeepsThePartForResume) {
  std::string body = test::random_bytes(400'000, 12);
  server.add_stalling("/stall.tar.xz", body);
  auto req = request_for("/stall.tar.xz");
  req.expected = test::sha256_of(body);
  req.stall_timeout = std::chrono::seconds(1);
  req.retry.max_attempts = 1;
  req.timeout = std::chrono::seconds(4);
  auto start = Clock::now();
  auto got = download(req);
  auto took = Clock::now() - start;
  ASSERT_FALSE(got);
  EXPECT_GE(took, std::chrono::milliseconds(900));
  EXPECT_LT(took, std::chrono::seconds(4));  // noticed promptly, not libcurl's 5 s speed average
  EXPECT_EQ(got.error(), "download of " + req.url + " failed: no data for 1 s (stopped at 195.3 KiB of 390.6 KiB): " +
                             "check the network, or raise RTX_HTTP_STALL_TIMEOUT (now 1 s); run again to resume");
  EXPECT_FALSE(test::exists(req.dest));
  EXPECT_EQ(test::read_file(req.dest + ".part"), body.substr(0, body.size() / 2));
}

TEST_F(DownloadFault, StallTimeoutComesFromTheEnvironment) {
  test::ScopedEnv stall("RTX_HTTP_STALL_TIMEOUT", "1");
  server.add_stalling("/stall", test::random_bytes(10'000, 13));
  auto req = request_for("/stall");
  req.stall_timeout.reset();  // as callers leave it
  req.retry.max_attempts = 1;
  req.timeout = std::chrono::seconds(4);
  auto start = Clock::now();
  auto got = download(req);
  ASSERT_FALSE(got);
  EXPECT_LT(Clock::now() - start, std::chrono::seconds(4));
  EXPECT_THAT(got.error(), HasSubstr("no data for 1 s"));
  EXPECT_THAT(got.error(), HasSubstr("RTX_HTTP_STALL_TIMEOUT (now 1 s)"));
}

TEST_F(DownloadFault, MalformedStallTimeoutIsRefusedNamingTheVariable) {
  test::ScopedEnv stall("RTX_HTTP_STALL_TIMEOUT", "30s");
  server.add_file("/f", "x");
  auto req = request_for("/f");
  req.stall_timeout.reset();
  auto got = download(req);
  ASSERT_FALSE(got);
  EXPECT_THAT(got.error(), HasSubstr("RTX_HTTP_STALL_TIMEOUT='30s'"));
  EXPECT_EQ(server.request_count("/f"), 0);
}

TEST_F(DownloadFault, OverallTimeoutBoundsEveryAttemptTogether) {
  server.add_stalling("/slow", test::random_bytes(100'000, 14));
  auto req = request_for("/slow");
  req.stall_timeout = std::chrono::seconds(30);
  req.timeout = std::chrono::milliseconds(700);
  auto start = Clock::now();
  auto got = download(req);
  ASSERT_FALSE(got);
  EXPECT_LT(Clock::now() - start, std::chrono::seconds(3));
  EXPECT_THAT(got.error(), HasSubstr("timed out"));
  EXPECT_THAT(got.error(), HasSubstr("run again to resume"));
  EXPECT_EQ(server.request_count("/slow"), 1);  // the deadline is for all attempts: no retry past it
}

}  // namespace
}  // namespace rtx::net
