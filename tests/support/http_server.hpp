// A real HTTP/1.1 server on 127.0.0.1 for tests: fixture mirrors (node,
// python, rust, go dist folders, an npm registry) and the network faults the
// downloader must survive (DESIGN.md §9). It binds an ephemeral port on the
// loopback address only, runs on its own threads, and stops and joins them in
// its destructor, so a test can never leave it running.
//
//   rtx::test::HttpServer server;
//   server.add_file("/v20.1.0/node-v20.1.0-linux-x64.tar.xz", tarball);
//   download(server.url("/v20.1.0/node-v20.1.0-linux-x64.tar.xz"));
//   EXPECT_EQ(server.request_count("/v20.1.0/node-v20.1.0-linux-x64.tar.xz"), 1);
//
// Every response carries "Connection: close" (one request per connection):
// simple, valid HTTP/1.1, and every request is visible as its own connection.
// Routes match the path without its query string; adding a route for a path
// that already has one replaces it (request counts are kept per path).
// Request targets in absolute form ("GET http://host/path") are served by
// their path, so the server can also stand in for an HTTP proxy.
#pragma once

#include <chrono>
#include <cstddef>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace rtx::test {

struct HttpRequest {
  std::string method;                          // "GET", "HEAD", …
  std::string target;                          // as sent: "/a/b?x=1" or "http://host/a/b?x=1"
  std::string path;                            // "/a/b" (no query, no scheme or host)
  std::map<std::string, std::string> headers;  // names lower-cased: "range", "user-agent", …
  std::string body;                            // when the request had a Content-Length

  // The header's value, or "" when the request did not carry it.
  std::string header(const std::string& lower_case_name) const;
};

class HttpServer {
 public:
  HttpServer();   // listening on 127.0.0.1:<ephemeral> when it returns; throws if it cannot
  ~HttpServer();  // stops accepting, wakes stalled routes, joins every thread
  HttpServer(const HttpServer&) = delete;
  HttpServer& operator=(const HttpServer&) = delete;

  int port() const;
  std::string base_url() const;                  // "http://127.0.0.1:<port>"
  std::string url(std::string_view path) const;  // base_url() + path ("/…")

  // 200 with Content-Length; honours "Range: bytes=a-b | a- | -n" with 206 and
  // Content-Range (416 past the end); HEAD sends the headers only.
  void add_file(const std::string& path, std::string body,
                const std::string& content_type = "application/octet-stream");
  // Any status with an optional body (e.g. 404, 500, 429).
  void add_status(const std::string& path, int status, std::string body = "");
  // Exactly this response, whatever the request (no Range handling): for
  // fixtures that need their own headers (a wrong Content-Range, an ETag).
  // Content-Length is added.
  void add_response(const std::string& path, int status, std::vector<std::pair<std::string, std::string>> headers,
                    std::string body);
  // A redirect to `location` (a path on this server or an absolute URL).
  void add_redirect(const std::string& path, const std::string& location, int status = 302);
  // Announces the whole body's length, sends its first half (of the requested
  // range), then sends nothing until the client gives up or the server stops.
  // The first `times` requests stall (-1: all of them); later ones are add_file.
  void add_stalling(const std::string& path, std::string body, int times = -1);
  // Announces the whole body's length, sends its first half (of the requested
  // range), then closes the connection. The first `times` requests are cut
  // short (-1: all of them); later ones are served as add_file.
  void add_truncating(const std::string& path, std::string body, int times = 1);
  // The first `failures` requests get `status` (503 by default, or e.g. 500,
  // 429); later ones are served as add_file.
  void add_flaky(const std::string& path, std::string body, int failures, int status = 503);

  // Every response from now on waits `delay` before its first byte, as a far
  // mirror would (its latency); responses to concurrent requests wait at the
  // same time. 0 (the default): none. For benchmarks of parallel installs.
  void set_delay(std::chrono::milliseconds delay);

  // Requests received for `path` (any route, or none: a 404 counts too).
  int request_count(const std::string& path) const;
  int total_requests() const;
  // The last request received for `path`, with its headers (e.g. to assert Range).
  std::optional<HttpRequest> last_request(const std::string& path) const;

 private:
  struct Impl;
  std::unique_ptr<Impl> impl_;
};

}  // namespace rtx::test
