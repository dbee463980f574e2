// RAII over libcurl's easy handle and header lists, and the one process-wide
// curl_global_init.
#pragma once

#include <curl/curl.h>

namespace rtx::net {

// curl_global_init(CURL_GLOBAL_DEFAULT), once per process, before the first
// handle. There is no matching curl_global_cleanup: it is not thread-safe and
// the process's exit frees everything anyway.
void ensure_curl_initialized();

class CurlEasy {
 public:
  CurlEasy();  // throws std::bad_alloc if libcurl cannot allocate a handle
  ~CurlEasy() { curl_easy_cleanup(handle_); }
  CurlEasy(const CurlEasy&) = delete;
  CurlEasy& operator=(const CurlEasy&) = delete;

  CURL* get() const { return handle_; }

 private:
  CURL* handle_;
};

// This thread's easy handle, reset to libcurl's defaults (curl_easy_reset) for
// each transfer. Reusing it keeps what a reset keeps: live connections (a
// registry's keep-alive connection serves the next request without a new TLS
// handshake), the DNS cache and the parsed CA store, which a fresh handle
// would read and parse again (~50 ms of CPU per handle with OpenSSL 3).
CURL* thread_curl_handle();

// A curl_slist of request headers; must outlive the transfer that uses it.
class CurlHeaders {
 public:
  CurlHeaders() = default;
  ~CurlHeaders() { curl_slist_free_all(list_); }
  CurlHeaders(const CurlHeaders&) = delete;
  CurlHeaders& operator=(const CurlHeaders&) = delete;

  void add(const char* line);  // "Name: value"
  curl_slist* get() const { return list_; }

 private:
  curl_slist* list_ = nullptr;
};

}  // namespace rtx::net
