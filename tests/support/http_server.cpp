#include "tests/support/http_server.hpp"

#include "tests/support/http_wire.hpp"

#include <arpa/inet.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <poll.h>
#include <sys/socket.h>
#include <unistd.h>

#include <algorithm>
#include <atomic>
#include <cctype>
#include <cerrno>
#include <chrono>
#include <cstring>
#include <mutex>
#include <stdexcept>
#include <thread>
#include <vector>

namespace rtx::test {
// Named, not anonymous: Impl (a member type of a class in the header) holds
// Routes, and in a unity build an anonymous type there is a warning.
namespace http_server_detail {

constexpr std::size_t kMaxHead = 64 * 1024;
constexpr int kHeadTimeoutMs = 10'000;  // a client that never finishes its request is dropped

enum class Kind { file, status, redirect, stall, truncate, flaky };

struct Route {
  Kind kind = Kind::file;
  std::string body;
  std::string content_type = "application/octet-stream";
  int status = 200;
  std::string location;
  std::vector<std::pair<std::string, std::string>> headers;  // extra headers of a status route
  int faults_left = 0;  // stall/truncate/flaky: how many more requests get the fault (-1: all)
};

// What one request gets, decided under the lock so that concurrent requests
// consume a route's faults exactly once each.
struct Plan {
  bool found = false;
  Kind kind = Kind::file;  // file, status, redirect, stall or truncate (flaky resolved)
  std::string body;
  std::string content_type;
  int status = 200;
  std::string location;
  std::vector<std::pair<std::string, std::string>> headers;
};

// One accepted connection; the fd is closed when it goes out of scope.
class Socket {
 public:
  explicit Socket(int fd) : fd_(fd) {}
  ~Socket() {
    if (fd_ >= 0) ::close(fd_);
  }
  Socket(const Socket&) = delete;
  Socket& operator=(const Socket&) = delete;
  int fd() const { return fd_; }

 private:
  int fd_;
};

}  // namespace http_server_detail
using namespace http_server_detail;

std::string HttpRequest::header(const std::string& lower_case_name) const {
  auto it = headers.find(lower_case_name);
  return it == headers.end() ? std::string() : it->second;
}

struct HttpServer::Impl {
  int listen_fd = -1;
  int stop_pipe[2] = {-1, -1};  // written once at stop: every poll() below also waits on its read end
  int port = 0;
  std::thread acceptor;

  struct Worker {
    std::thread thread;
    std::shared_ptr<std::atomic<bool>> done;
  };
  std::vector<Worker> workers;  // touched by the acceptor thread only, then by the destructor after joining it

  mutable std::mutex mu;
  std::map<std::string, Route> routes;
  std::map<std::string, int> counts;
  std::map<std::string, HttpRequest> last;
  int total = 0;
  std::atomic<int> delay_ms{0};

  void set_route(const std::string& path, Route route) {
    std::lock_guard lock(mu);
    routes[path] = std::move(route);
  }

  // Waits until `fd` is ready for `events` or the server stops. False on stop or timeout.
  bool wait_for(int fd, short events, int timeout_ms) const {
    pollfd fds[2] = {{fd, events, 0}, {stop_pipe[0], POLLIN, 0}};
    while (true) {
      int n = ::poll(fds, 2, timeout_ms);
      if (n < 0 && errno == EINTR) continue;
      if (n <= 0 || fds[1].revents) return false;
      return true;
    }
  }

  bool send_all(int fd, std::string_view data) const {
    while (!data.empty()) {
      ssize_t n = ::send(fd, data.data(), data.size(), MSG_NOSIGNAL);
      if (n > 0) {
        data.remove_prefix(std::size_t(n));
      } else if (n < 0 && (errno == EAGAIN || errno == EWOULDBLOCK)) {
        if (!wait_for(fd, POLLOUT, -1)) return false;
      } else if (n < 0 && errno == EINTR) {
        continue;
      } else {
        return false;  // the client went away
      }
    }
    return true;
  }

  // Reads the request head (and a Content-Length body). False: no usable request.
  bool read_request(int fd, HttpRequest& req) const {
    std::string buf;
    std::size_t head_end;
    char chunk[8192];
    auto deadline = std::chrono::steady_clock::now() + std::chrono::milliseconds(kHeadTimeoutMs);
    auto read_more = [&]() {
      auto left = std::chrono::duration_cast<std::chrono::milliseconds>(deadline - std::chrono::steady_clock::now());
      if (left.count() <= 0 || !wait_for(fd, POLLIN, int(left.count()))) return false;
      ssize_t n = ::recv(fd, chunk, sizeof chunk, 0);
      if (n < 0 && (errno == EAGAIN || errno == EINTR)) return true;
      if (n <= 0) return false;
      buf.append(chunk, std::size_t(n));
      return true;
    };
    while ((head_end = buf.find("\r\n\r\n")) == std::string::npos) {
      if (buf.size() > kMaxHead || !read_more()) return false;
    }
    if (!parse_request_head(std::string_view(buf.data(), head_end), req)) return false;
    std::size_t body_len = 0;
    try {
      if (auto cl = req.header("content-length"); !cl.empty()) body_len = std::stoull(cl);
    } catch (const std::exception&) {
      return false;
    }
    if (body_len > kMaxHead) return false;
    while (buf.size() < head_end + 4 + body_len)
      if (!read_more()) return false;
    req.body = buf.substr(head_end + 4, body_len);
    return true;
  }

  Plan plan_for(const HttpRequest& req) {
    std::lock_guard lock(mu);
    ++total;
    ++counts[req.path];
    last[req.path] = req;
    Plan plan;
    auto it = routes.find(req.path);
    if (it == routes.end()) return plan;
    Route& r = it->second;
    plan.found = true;
    plan.kind = r.kind;
    plan.body = r.body;
    plan.content_type = r.content_type;
    plan.status = r.status;
    plan.location = r.location;
    plan.headers = r.headers;
    if (r.kind == Kind::stall || r.kind == Kind::truncate || r.kind == Kind::flaky) {
      bool fault = r.faults_left != 0;
      if (r.faults_left > 0) --r.faults_left;
      if (!fault)
        plan.kind = Kind::file;
      else if (r.kind == Kind::flaky) {
        plan.kind = Kind::status;
        plan.body = std::string(reason_phrase(r.status)) + "\n";
      }
    }
    return plan;
  }

  // set_delay: waits, or returns early when the server stops.
  void delay_response() const {
    int ms = delay_ms.load();
    if (ms <= 0) return;
    pollfd stop{stop_pipe[0], POLLIN, 0};
    while (::poll(&stop, 1, ms) < 0 && errno == EINTR) {
    }
  }

  void respond(int fd, const HttpRequest& req) {
    Plan plan = plan_for(req);
    delay_response();
    if (!plan.found) {
      plan.kind = Kind::status;
      plan.status = 404;
      plan.body = "no route for " + req.path + "\n";
    }
    bool head_only = req.method == "HEAD";
    auto status_line = [](int status) {
      return "HTTP/1.1 " + std::to_string(status) + " " + reason_phrase(status) + "\r\nConnection: close\r\n";
    };

    if (plan.kind == Kind::status || plan.kind == Kind::redirect) {
      std::string out = status_line(plan.status);
      if (plan.kind == Kind::redirect) out += "Location: " + plan.location + "\r\n";
      bool typed = false;
      for (const auto& [name, value] : plan.headers) {
        out += name + ": " + value + "\r\n";
        typed = typed || lower(name) == "content-type";
      }
      if (!typed) out += "Content-Type: text/plain\r\n";
      out += "Content-Length: " + std::to_string(plan.body.size()) + "\r\n\r\n";
      if (!head_only) out += plan.body;
      send_all(fd, out);
      return;
    }

    // A file, possibly cut short (truncate) or left hanging (stall).
    const std::string& body = plan.body;
    Range range = parse_range(req.header("range"), body.size());
    if (range.requested && !range.satisfiable) {
      send_all(fd, status_line(416) + "Content-Range: bytes */" + std::to_string(body.size()) +
                       "\r\nContent-Length: 0\r\n\r\n");
      return;
    }
    std::size_t first = range.requested ? range.first : 0;
    std::size_t length = range.requested ? range.last - range.first + 1 : body.size();
    std::string out = status_line(range.requested ? 206 : 200);
    out += "Content-Type: " + plan.content_type + "\r\nAccept-Ranges: bytes\r\n";
    if (range.requested)
      out += "Content-Range: bytes " + std::to_string(range.first) + "-" + std::to_string(range.last) + "/" +
             std::to_string(body.size()) + "\r\n";
    out += "Content-Length: " + std::to_string(length) + "\r\n\r\n";
    bool cut = plan.kind == Kind::stall || plan.kind == Kind::truncate;
    std::size_t sent = cut ? length / 2 : length;
    if (!send_all(fd, out) || head_only) return;
    if (!send_all(fd, std::string_view(body).substr(first, sent))) return;
    if (plan.kind == Kind::stall) hang_until_client_leaves(fd);
  }

  // The stalled route: nothing more is sent; returns when the client closes
  // the connection or the server stops (whatever the client sends is dropped).
  void hang_until_client_leaves(int fd) const {
    char sink[4096];
    while (wait_for(fd, POLLIN, -1)) {
      ssize_t n = ::recv(fd, sink, sizeof sink, 0);
      if (n == 0 || (n < 0 && errno != EAGAIN && errno != EINTR)) return;
    }
  }

  void serve_connection(int raw_fd) {
    Socket sock(raw_fd);
    HttpRequest req;
    if (!read_request(sock.fd(), req)) return;
    respond(sock.fd(), req);
    // Half-close so the client sees a clean end of the response before the fd goes.
    ::shutdown(sock.fd(), SHUT_WR);
  }

  void reap_finished_workers() {
    auto finished = [](Worker& w) {
      if (!w.done->load()) return false;
      w.thread.join();
      return true;
    };
    workers.erase(std::remove_if(workers.begin(), workers.end(), finished), workers.end());
  }

  void accept_loop() {
    while (wait_for(listen_fd, POLLIN, -1)) {
      int fd = ::accept4(listen_fd, nullptr, nullptr, SOCK_CLOEXEC | SOCK_NONBLOCK);
      if (fd < 0) continue;
      reap_finished_workers();
      auto done = std::make_shared<std::atomic<bool>>(false);
      workers.push_back(Worker{std::thread([this, fd, done] {
                                 serve_connection(fd);
                                 done->store(true);
                               }),
                               done});
    }
    for (auto& w : workers) w.thread.join();
    workers.clear();
  }
};

HttpServer::HttpServer() : impl_(std::make_unique<Impl>()) {
  Impl& s = *impl_;
  if (::pipe2(s.stop_pipe, O_CLOEXEC) != 0) throw std::runtime_error("HttpServer: pipe2 failed");
  s.listen_fd = ::socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC | SOCK_NONBLOCK, 0);
  if (s.listen_fd < 0) throw std::runtime_error("HttpServer: socket failed");
  sockaddr_in addr{};
  addr.sin_family = AF_INET;
  addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);  // never anything but 127.0.0.1
  addr.sin_port = 0;                              // an ephemeral port: tests may run in parallel
  socklen_t len = sizeof addr;
  if (::bind(s.listen_fd, reinterpret_cast<sockaddr*>(&addr), sizeof addr) != 0 || ::listen(s.listen_fd, 64) != 0 ||
      ::getsockname(s.listen_fd, reinterpret_cast<sockaddr*>(&addr), &len) != 0) {
    std::string why = std::strerror(errno);
    ::close(s.listen_fd);
    ::close(s.stop_pipe[0]);
    ::close(s.stop_pipe[1]);
    throw std::runtime_error("HttpServer: cannot listen on 127.0.0.1: " + why);
  }
  s.port = ntohs(addr.sin_port);
  s.acceptor = std::thread([&s] { s.accept_loop(); });
}

HttpServer::~HttpServer() {
  Impl& s = *impl_;
  char byte = 1;
  while (::write(s.stop_pipe[1], &byte, 1) < 0 && errno == EINTR) {
  }
  s.acceptor.join();  // joins every connection thread before it returns
  ::close(s.listen_fd);
  ::close(s.stop_pipe[0]);
  ::close(s.stop_pipe[1]);
}

int HttpServer::port() const { return impl_->port; }
std::string HttpServer::base_url() const { return "http://127.0.0.1:" + std::to_string(impl_->port); }
std::string HttpServer::url(std::string_view path) const { return base_url() + std::string(path); }

void HttpServer::add_file(const std::string& path, std::string body, const std::string& content_type) {
  Route r;
  r.kind = Kind::file;
  r.body = std::move(body);
  r.content_type = content_type;
  impl_->set_route(path, std::move(r));
}

void HttpServer::add_status(const std::string& path, int status, std::string body) {
  Route r;
  r.kind = Kind::status;
  r.status = status;
  r.body = std::move(body);
  impl_->set_route(path, std::move(r));
}

void HttpServer::add_response(const std::string& path, int status,
                              std::vector<std::pair<std::string, std::string>> headers, std::string body) {
  Route r;
  r.kind = Kind::status;
  r.status = status;
  r.headers = std::move(headers);
  r.body = std::move(body);
  impl_->set_route(path, std::move(r));
}

void HttpServer::add_redirect(const std::string& path, const std::string& location, int status) {
  Route r;
  r.kind = Kind::redirect;
  r.status = status;
  r.location = location;
  impl_->set_route(path, std::move(r));
}

void HttpServer::add_stalling(const std::string& path, std::string body, int times) {
  Route r;
  r.kind = Kind::stall;
  r.body = std::move(body);
  r.faults_left = times;
  impl_->set_route(path, std::move(r));
}

void HttpServer::add_truncating(const std::string& path, std::string body, int times) {
  Route r;
  r.kind = Kind::truncate;
  r.body = std::move(body);
  r.faults_left = times;
  impl_->set_route(path, std::move(r));
}

void HttpServer::add_flaky(const std::string& path, std::string body, int failures, int status) {
  Route r;
  r.kind = Kind::flaky;
  r.body = std::move(body);
  r.status = status;
  r.faults_left = failures;
  impl_->set_route(path, std::move(r));
}

void HttpServer::set_delay(std::chrono::milliseconds delay) { impl_->delay_ms = int(delay.count()); }

int HttpServer::request_count(const std::string& path) const {
  std::lock_guard lock(impl_->mu);
  auto it = impl_->counts.find(path);
  return it == impl_->counts.end() ? 0 : it->second;
}

int HttpServer::total_requests() const {
  std::lock_guard lock(impl_->mu);
  return impl_->total;
}

std::optional<HttpRequest> HttpServer::last_request(const std::string& path) const {
  std::lock_guard lock(impl_->mu);
  auto it = impl_->last.find(path);
  if (it == impl_->last.end()) return std::nullopt;
  return it->second;
}

}  // namespace rtx::test
