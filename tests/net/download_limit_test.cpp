// DownloadRequest::max_bytes (issue 8 item 10): a remote index is read into
// memory, so its size is bounded, and the bound holds while the body streams:
// a larger Content-Length fails before the body, an unannounced (chunked)
// body fails at the first byte past the limit. One line, no retry, nothing kept.
#include <arpa/inet.h>
#include <gmock/gmock.h>
#include <gtest/gtest.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <unistd.h>

#include <atomic>
#include <chrono>
#include <thread>

#include "manager/net/downloader.hpp"
#include "net_fixture.hpp"
#include "resolver/unique_fd.hpp"

namespace rtx::net {
namespace {

using ::testing::HasSubstr;
using ::testing::IsEmpty;
using DownloadLimit = test::NetTest;

// One connection on 127.0.0.1: a 200 with a chunked body that never ends on
// its own (up to 1 GiB), so only the client can stop it. Counts what it sent.
class EndlessServer {
 public:
  EndlessServer() : listener_(::socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0)) {
    sockaddr_in addr{};
    addr.sin_family = AF_INET;
    addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    socklen_t len = sizeof addr;
    if (::bind(listener_.get(), reinterpret_cast<sockaddr*>(&addr), sizeof addr) != 0 ||
        ::listen(listener_.get(), 1) != 0 ||
        ::getsockname(listener_.get(), reinterpret_cast<sockaddr*>(&addr), &len) != 0)
      throw std::runtime_error("cannot listen on 127.0.0.1");
    port_ = ntohs(addr.sin_port);
    thread_ = std::thread([this] { serve(); });
  }
  ~EndlessServer() {
    ::shutdown(listener_.get(), SHUT_RDWR);
    stop_ = true;
    thread_.join();
  }

  std::string url() const { return "http://127.0.0.1:" + std::to_string(port_) + "/index.json"; }
  std::uint64_t sent() const { return sent_; }

 private:
  void serve() {
    UniqueFd conn(::accept4(listener_.get(), nullptr, nullptr, SOCK_CLOEXEC));
    if (!conn.valid()) return;
    std::string head;
    char buf[4096];
    while (head.find("\r\n\r\n") == std::string::npos) {
      ssize_t n = ::recv(conn.get(), buf, sizeof buf, 0);
      if (n <= 0) return;
      head.append(buf, std::size_t(n));
    }
    const std::string start = "HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nTransfer-Encoding: chunked\r\n\r\n";
    if (!send_all(conn.get(), start)) return;
    const std::string chunk = "10000\r\n" + std::string(0x10000, ' ') + "\r\n";  // 64 KiB of JSON whitespace
    while (!stop_ && sent_ < (std::uint64_t{1} << 30)) {
      if (!send_all(conn.get(), chunk)) return;
      sent_ += 0x10000;
    }
  }
  static bool send_all(int fd, const std::string& data) {
    std::size_t done = 0;
    while (done < data.size()) {
      ssize_t n = ::send(fd, data.data() + done, data.size() - done, MSG_NOSIGNAL);
      if (n <= 0) return false;
      done += std::size_t(n);
    }
    return true;
  }

  UniqueFd listener_;
  int port_ = 0;
  std::atomic<bool> stop_{false};
  std::atomic<std::uint64_t> sent_{0};
  std::thread thread_;
};

TEST_F(DownloadLimit, AnAnnouncedSizePastTheLimitFailsBeforeTheBody) {
  server.add_file("/index.json", std::string(8192, ' '));
  auto req = request_for("/index.json");
  req.max_bytes = 4096;
  req.max_bytes_fix = "raise RTX_MAX_METADATA_BYTES";
  auto got = download(req);
  ASSERT_FALSE(got);
  EXPECT_EQ(got.error(), "download of " + req.url +
                             " failed: it is 8.0 KiB, more than the limit of 4.0 KiB: raise RTX_MAX_METADATA_BYTES");
  EXPECT_EQ(server.request_count("/index.json"), 1) << "a size past the limit is not worth a retry";
  EXPECT_THAT(test::files_under(tmp.path()), IsEmpty());
}

TEST_F(DownloadLimit, ExactlyTheLimitIsFine) {
  server.add_file("/index.json", "[1,2,3]");
  auto req = request_for("/index.json");
  req.max_bytes = 7;
  auto got = download(req);
  ASSERT_TRUE(got) << got.error();
  EXPECT_EQ(test::read_file(got->path), "[1,2,3]");
}

TEST_F(DownloadLimit, AnEndlessBodyIsCutAtTheLimitAsItStreams) {
  EndlessServer endless;
  auto req = request_for("/unused");
  req.url = endless.url();
  req.max_bytes = 1 << 20;
  auto got = download(req);
  ASSERT_FALSE(got);
  EXPECT_EQ(got.error(), "download of " + req.url + " failed: it is larger than the limit of 1.0 MiB: check the URL");
  // What the server got out before the client hung up: the limit plus what the
  // sockets buffer on the way, nowhere near the gigabyte it had to give.
  EXPECT_LT(endless.sent(), std::uint64_t{64} << 20);
  EXPECT_THAT(test::files_under(tmp.path()), IsEmpty());
}

TEST_F(DownloadLimit, NoLimitByDefault) {
  std::string body = test::random_bytes(3 << 20, 7);
  server.add_file("/big.json", body);
  auto got = download(request_for("/big.json"));
  ASSERT_TRUE(got) << got.error();
  EXPECT_EQ(got->size, body.size());
}

}  // namespace
}  // namespace rtx::net
