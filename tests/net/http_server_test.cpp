// tests/support's HttpServer, spoken to over a raw socket: the downloader's
// tests (and the fixture mirrors other tests build on it) trust what it sends.
#include "tests/support/http_server.hpp"

#include <arpa/inet.h>
#include <gmock/gmock.h>
#include <gtest/gtest.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <unistd.h>

#include <chrono>

#include "resolver/unique_fd.hpp"

namespace rtx::test {
namespace {

using ::testing::HasSubstr;
using ::testing::StartsWith;

UniqueFd connect_to(int port) {
  UniqueFd fd(::socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0));
  sockaddr_in addr{};
  addr.sin_family = AF_INET;
  addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  addr.sin_port = htons(std::uint16_t(port));
  if (::connect(fd.get(), reinterpret_cast<sockaddr*>(&addr), sizeof addr) != 0) ADD_FAILURE() << "connect failed";
  return fd;
}

// Sends `request` raw and reads the whole response (the server closes after it).
std::string round_trip(int port, const std::string& request) {
  UniqueFd fd = connect_to(port);
  (void)!::write(fd.get(), request.data(), request.size());
  std::string out;
  char buf[4096];
  ssize_t n;
  while ((n = ::read(fd.get(), buf, sizeof buf)) > 0) out.append(buf, std::size_t(n));
  return out;
}

std::string get(int port, const std::string& target, const std::string& extra = "") {
  return round_trip(port, "GET " + target + " HTTP/1.1\r\nHost: 127.0.0.1\r\n" + extra + "\r\n");
}

TEST(HttpServer, ServesFilesWithContentLengthAndCountsRequests) {
  HttpServer server;
  server.add_file("/a/b.txt", "hello");
  EXPECT_THAT(server.url("/a/b.txt"), StartsWith("http://127.0.0.1:"));
  std::string resp = get(server.port(), "/a/b.txt?x=1");
  EXPECT_THAT(resp, StartsWith("HTTP/1.1 200 OK\r\n"));
  EXPECT_THAT(resp, HasSubstr("Content-Length: 5\r\n"));
  EXPECT_THAT(resp, testing::EndsWith("\r\n\r\nhello"));
  EXPECT_EQ(server.request_count("/a/b.txt"), 1);
  auto last = server.last_request("/a/b.txt");
  ASSERT_TRUE(last);
  EXPECT_EQ(last->target, "/a/b.txt?x=1");
  EXPECT_EQ(last->header("host"), "127.0.0.1");
}

TEST(HttpServer, RangesGet206OrA416PastTheEnd) {
  HttpServer server;
  server.add_file("/f", "0123456789");
  std::string from = get(server.port(), "/f", "Range: bytes=4-\r\n");
  EXPECT_THAT(from, StartsWith("HTTP/1.1 206 Partial Content\r\n"));
  EXPECT_THAT(from, HasSubstr("Content-Range: bytes 4-9/10\r\n"));
  EXPECT_THAT(from, testing::EndsWith("\r\n\r\n456789"));
  EXPECT_THAT(get(server.port(), "/f", "Range: bytes=2-3\r\n"), testing::EndsWith("\r\n\r\n23"));
  EXPECT_THAT(get(server.port(), "/f", "Range: bytes=-3\r\n"), testing::EndsWith("\r\n\r\n789"));
  std::string past = get(server.port(), "/f", "Range: bytes=10-\r\n");
  EXPECT_THAT(past, StartsWith("HTTP/1.1 416 "));
  EXPECT_THAT(past, HasSubstr("Content-Range: bytes */10\r\n"));
  EXPECT_EQ(server.last_request("/f")->header("range"), "bytes=10-");
}

TEST(HttpServer, StatusRedirectUnknownAndFlakyRoutes) {
  HttpServer server;
  server.add_status("/gone", 410, "gone\n");
  server.add_redirect("/old", "/new", 301);
  server.add_flaky("/flaky", "body", 2, 503);
  EXPECT_THAT(get(server.port(), "/gone"), StartsWith("HTTP/1.1 410 Gone\r\n"));
  EXPECT_THAT(get(server.port(), "/old"), HasSubstr("Location: /new\r\n"));
  EXPECT_THAT(get(server.port(), "/nothing"), StartsWith("HTTP/1.1 404 Not Found\r\n"));
  EXPECT_THAT(get(server.port(), "/flaky"), StartsWith("HTTP/1.1 503 "));
  EXPECT_THAT(get(server.port(), "/flaky"), StartsWith("HTTP/1.1 503 "));
  EXPECT_THAT(get(server.port(), "/flaky"), testing::EndsWith("\r\n\r\nbody"));
  EXPECT_EQ(server.request_count("/flaky"), 3);
  EXPECT_EQ(server.request_count("/nothing"), 1);
  EXPECT_EQ(server.total_requests(), 6);
}

TEST(HttpServer, CustomResponsesCarryTheirHeaders) {
  HttpServer server;
  server.add_response("/index.json", 200, {{"Content-Type", "application/json"}, {"ETag", "\"v1\""}}, "[]");
  std::string resp = get(server.port(), "/index.json", "Range: bytes=1-\r\n");
  EXPECT_THAT(resp, StartsWith("HTTP/1.1 200 OK\r\n"));  // no Range handling: exactly as given
  EXPECT_THAT(resp, HasSubstr("Content-Type: application/json\r\n"));
  EXPECT_THAT(resp, testing::Not(HasSubstr("text/plain")));
  EXPECT_THAT(resp, HasSubstr("ETag: \"v1\"\r\n"));
  EXPECT_THAT(resp, testing::EndsWith("Content-Length: 2\r\n\r\n[]"));
}

TEST(HttpServer, TruncatedRouteAnnouncesMoreThanItSends) {
  HttpServer server;
  server.add_truncating("/t", "0123456789", 1);
  std::string cut = get(server.port(), "/t");
  EXPECT_THAT(cut, HasSubstr("Content-Length: 10\r\n"));
  EXPECT_THAT(cut, testing::EndsWith("\r\n\r\n01234"));
  EXPECT_THAT(get(server.port(), "/t"), testing::EndsWith("\r\n\r\n0123456789"));  // only the first is cut
}

TEST(HttpServer, AbsoluteFormTargetsAreServedByPathLikeAProxy) {
  HttpServer server;
  server.add_file("/dist/x", "via proxy");
  std::string resp = get(server.port(), "http://mirror.invalid/dist/x");
  EXPECT_THAT(resp, testing::EndsWith("via proxy"));
  EXPECT_EQ(server.last_request("/dist/x")->target, "http://mirror.invalid/dist/x");
}

TEST(HttpServer, DestructorReturnsPromptlyWhileAClientIsStalled) {
  auto server = std::make_unique<HttpServer>();
  server->add_stalling("/s", std::string(100'000, 'x'));
  UniqueFd client = connect_to(server->port());
  std::string req = "GET /s HTTP/1.1\r\nHost: x\r\n\r\n";
  (void)!::write(client.get(), req.data(), req.size());
  char buf[4096];
  ASSERT_GT(::read(client.get(), buf, sizeof buf), 0);  // the first half is flowing
  auto start = std::chrono::steady_clock::now();
  server.reset();  // must not wait for the client, which never closes
  EXPECT_LT(std::chrono::steady_clock::now() - start, std::chrono::seconds(2));
}

}  // namespace
}  // namespace rtx::test
