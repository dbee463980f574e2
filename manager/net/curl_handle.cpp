#include "manager/net/curl_handle.hpp"

#include <mutex>
#include <new>
#include <stdexcept>
#include <string>

namespace rtx::net {

void ensure_curl_initialized() {
  static std::once_flag once;
  std::call_once(once, [] {
    CURLcode rc = curl_global_init(CURL_GLOBAL_DEFAULT);
    if (rc != CURLE_OK) throw std::runtime_error(std::string("curl_global_init failed: ") + curl_easy_strerror(rc));
  });
}

CurlEasy::CurlEasy() {
  ensure_curl_initialized();
  handle_ = curl_easy_init();
  if (!handle_) throw std::bad_alloc();
}

CURL* thread_curl_handle() {
  thread_local CurlEasy easy;
  curl_easy_reset(easy.get());
  return easy.get();
}

void CurlHeaders::add(const char* line) {
  curl_slist* next = curl_slist_append(list_, line);
  if (!next) throw std::bad_alloc();
  list_ = next;
}

}  // namespace rtx::net
