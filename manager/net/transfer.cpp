#include "manager/net/transfer.hpp"

#include <algorithm>
#include <cctype>
#include <cstdlib>
#include <cstring>
#include <stdexcept>
#include <string_view>

#include "manager/net/curl_handle.hpp"
#include "manager/util/process_runner.hpp"

namespace rtx::net {
namespace {

using Clock = std::chrono::steady_clock;

constexpr long kMaxRedirects = 10;
constexpr long kReceiveBuffer = 256 * 1024;  // fewer, larger writes into the .part than curl's 16 KiB default

bool starts_with_nocase(std::string_view text, std::string_view prefix) {
  if (text.size() < prefix.size()) return false;
  for (std::size_t i = 0; i < prefix.size(); ++i)
    if (std::tolower(static_cast<unsigned char>(text[i])) != std::tolower(static_cast<unsigned char>(prefix[i])))
      return false;
  return true;
}

std::string_view trim(std::string_view s) {
  while (!s.empty() && std::isspace(static_cast<unsigned char>(s.front()))) s.remove_prefix(1);
  while (!s.empty() && std::isspace(static_cast<unsigned char>(s.back()))) s.remove_suffix(1);
  return s;
}

std::optional<std::uint64_t> parse_u64(std::string_view s) {
  s = trim(s);
  if (s.empty() || s.size() > 19) return std::nullopt;
  std::uint64_t v = 0;
  for (char c : s) {
    if (c < '0' || c > '9') return std::nullopt;
    v = v * 10 + std::uint64_t(c - '0');
  }
  return v;
}

// HTTP/2 has no reason phrase; these keep errors readable whatever the protocol.
const char* standard_reason(long status) {
  static constexpr struct {
    long status;
    const char* text;
  } kPhrases[] = {
      {400, "Bad Request"},        {401, "Unauthorized"},          {403, "Forbidden"},   {404, "Not Found"},
      {405, "Method Not Allowed"}, {408, "Request Timeout"},       {410, "Gone"},        {416, "Range Not Satisfiable"},
      {429, "Too Many Requests"},  {500, "Internal Server Error"}, {502, "Bad Gateway"}, {503, "Service Unavailable"},
      {504, "Gateway Timeout"},
  };
  for (const auto& p : kPhrases)
    if (p.status == status) return p.text;
  return "";
}

// Whatever we set is a constant the linked libcurl supports; a refusal means a
// libcurl too old or built without HTTP: a broken installation, not user input.
template <typename T>
void set(CURL* curl, CURLoption option, T value) {
  if (curl_easy_setopt(curl, option, value) != CURLE_OK)
    throw std::runtime_error("libcurl refused option " + std::to_string(int(option)) + ": libcurl is too old");
}

// The state of one attempt, shared with libcurl's callbacks.
struct Attempt {
  Attempt(const TransferSettings& s, PartFile& p, BackgroundHasher& h, ProgressMeter& m, std::uint64_t& f)
      : settings(s), part(p), hasher(h), progress(m), fetched(f) {}

  const TransferSettings& settings;
  PartFile& part;
  BackgroundHasher& hasher;
  ProgressMeter& progress;
  std::uint64_t& fetched;
  CURL* curl = nullptr;
  bool http = true;
  std::uint64_t offset = 0;  // .part size when the attempt began: the Range start

  // The head of the latest response (each redirect hop starts a new one).
  std::string reason_phrase;
  std::optional<std::uint64_t> content_length;
  std::optional<std::uint64_t> range_first;  // Content-Range: bytes <first>-<last>/<size>
  std::optional<std::uint64_t> range_size;

  bool body_started = false;
  bool refused = false;         // not a 200/206: the body is an error page, never written
  bool range_mismatch = false;  // a 206 starting elsewhere than asked
  bool continued = false;       // a 206 at our offset: the .part's bytes are kept
  std::optional<std::uint64_t> total;
  std::optional<std::string> write_error;
  std::optional<std::string> too_large;  // past settings.max_bytes: what the server announced or sent

  Clock::time_point last_activity = Clock::now();
  bool stalled = false;
  bool interrupted = false;

  long status() const {
    long code = 0;
    curl_easy_getinfo(curl, CURLINFO_RESPONSE_CODE, &code);
    return code;
  }

  void on_header_line(std::string_view line) {
    if (starts_with_nocase(line, "HTTP/")) {  // a new response: forget the previous hop's head
      auto sp1 = line.find(' ');
      auto sp2 = sp1 == std::string_view::npos ? sp1 : line.find(' ', sp1 + 1);
      reason_phrase = sp2 == std::string_view::npos ? "" : std::string(trim(line.substr(sp2 + 1)));
      content_length.reset();
      range_first.reset();
      range_size.reset();
    } else if (starts_with_nocase(line, "content-length:")) {
      content_length = parse_u64(line.substr(15));
    } else if (starts_with_nocase(line, "content-range:")) {
      std::string_view v = trim(line.substr(14));  // "bytes 100-199/200" or "bytes */200"
      if (!starts_with_nocase(v, "bytes ")) return;
      v.remove_prefix(6);
      auto slash = v.find('/');
      if (slash == std::string_view::npos) return;
      range_size = parse_u64(v.substr(slash + 1));
      auto dash = v.find('-');
      if (dash != std::string_view::npos && dash < slash) range_first = parse_u64(v.substr(0, dash));
    }
  }

  // Decides, at the first byte of the final response's body, where it goes.
  bool begin_body() {
    body_started = true;
    long code = status();
    if (!http) {  // file://: the whole file, from the start
      total = content_length;
      return true;
    }
    if (code == 206) {
      if (!range_first || *range_first != offset) return range_mismatch = true, false;
      continued = offset > 0;
      if (range_size)
        total = range_size;
      else if (content_length)
        total = offset + *content_length;
      return true;
    }
    if (code == 200) {
      if (part.size() > 0) {  // the server ignored our Range: start over
        if (Status s = part.truncate(); !s) return write_error = s.error(), false;
        hasher.reset();
      }
      total = content_length;
      return true;
    }
    return refused = true, false;
  }

  // Checked when the body starts (an announced size) and before each write:
  // a body past the limit is never buffered, in memory or on disk.
  bool within_limit(std::uint64_t size_after) {
    if (!settings.max_bytes || size_after <= *settings.max_bytes) return true;
    std::string limit = format_bytes(*settings.max_bytes);
    too_large = total && *total == size_after
                    ? "it is " + format_bytes(size_after) + ", more than the limit of " + limit
                    : "it is larger than the limit of " + limit;
    return false;
  }

  std::size_t on_body(const char* data, std::size_t size) {
    last_activity = Clock::now();
    if (!body_started && !begin_body()) return 0;  // != size: curl stops with CURLE_WRITE_ERROR
    if (refused || range_mismatch) return 0;
    if ((total && !within_limit(*total)) || !within_limit(part.size() + size)) return 0;
    if (Status s = part.append(data, size); !s) {
      write_error = s.error();
      return 0;
    }
    hasher.update(data, size);
    fetched += size;
    progress.update(part.size(), total, fetched);
    return size;
  }

  // libcurl calls this at least once a second, even when nothing arrives.
  int on_tick() {
    if (util::interrupted()) return interrupted = true, 1;
    if (Clock::now() - last_activity >= settings.stall_timeout) return stalled = true, 1;
    return 0;
  }

  std::string position() const {
    std::string at = format_bytes(part.size());
    return total ? at + " of " + format_bytes(*total) : at;
  }
};

std::size_t header_cb(char* data, std::size_t size, std::size_t n, void* user) {
  auto* a = static_cast<Attempt*>(user);
  a->last_activity = Clock::now();
  a->on_header_line(std::string_view(data, size * n));
  return size * n;
}

std::size_t body_cb(char* data, std::size_t size, std::size_t n, void* user) {
  return static_cast<Attempt*>(user)->on_body(data, size * n);
}

int tick_cb(void* user, curl_off_t, curl_off_t, curl_off_t, curl_off_t) {
  return static_cast<Attempt*>(user)->on_tick();
}

AttemptResult result(Outcome outcome, FailureKind kind, std::string reason, long status = 0) {
  AttemptResult r;
  r.outcome = outcome;
  r.kind = kind;
  r.reason = std::move(reason);
  r.http_status = status;
  return r;
}

// Restarting from zero must keep the hasher equal to the (now empty) .part.
std::optional<AttemptResult> restart_part(Attempt& a) {
  if (Status s = a.part.truncate(); !s) return result(Outcome::permanent, FailureKind::local, s.error());
  a.hasher.reset();
  return std::nullopt;
}

// libcurl's own words, in the voice of our messages: lower case first,
// "after 0 ms" dropped, and the system's reason for a failed connect
// ("connection refused") instead of the generic "Couldn't connect to server".
std::string curl_detail(CURL* curl, CURLcode rc, const char* errbuf) {
  std::string text(trim(errbuf[0] ? errbuf : curl_easy_strerror(rc)));
  if (rc == CURLE_COULDNT_CONNECT) {
    long os_errno = 0;
    curl_easy_getinfo(curl, CURLINFO_OS_ERRNO, &os_errno);
    if (auto after = text.find(" after "); after != std::string::npos && os_errno != 0)
      text = text.substr(0, after) + ": " + std::strerror(int(os_errno));
  }
  for (std::size_t i = 0; i < text.size(); ++i) {  // "Failed to" -> "failed to", "Connection" -> "connection"
    if (i == 0 || (i >= 2 && text[i - 2] == ':' && text[i - 1] == ' '))
      if (std::isupper(static_cast<unsigned char>(text[i])) && i + 1 < text.size() &&
          std::islower(static_cast<unsigned char>(text[i + 1])))
        text[i] = char(std::tolower(static_cast<unsigned char>(text[i])));
  }
  return text;
}

AttemptResult classify(Attempt& a, CURLcode rc, const char* errbuf) {
  if (a.write_error) return result(Outcome::permanent, FailureKind::local, *a.write_error);
  if (a.too_large) return result(Outcome::permanent, FailureKind::too_large, *a.too_large);
  if (a.interrupted) return result(Outcome::interrupted, FailureKind::other, "interrupted");
  if (a.stalled)
    return result(
        Outcome::transient, FailureKind::stall,
        "no data for " + std::to_string(a.settings.stall_timeout.count()) + " s (stopped at " + a.position() + ")");
  if (rc == CURLE_OK && !a.body_started) a.begin_body();  // an empty body: no write callback ran
  if (a.write_error) return result(Outcome::permanent, FailureKind::local, *a.write_error);

  long status = a.status();
  if (a.http && a.range_mismatch) {
    if (auto failed = restart_part(a)) return *failed;
    return result(Outcome::transient, FailureKind::other, "the server resumed at another offset than asked");
  }
  if (a.http && status == 416 && a.offset > 0) {
    // Asked for bytes past the end: either the .part was already whole (a
    // run killed before its rename) or the file changed; start over then.
    if (a.range_size && *a.range_size == a.offset) return result(Outcome::complete, FailureKind::none, "");
    if (auto failed = restart_part(a)) return *failed;
    return result(Outcome::transient, FailureKind::other, "the server cannot resume at " + format_bytes(a.offset));
  }
  if (a.http && (a.refused || (rc == CURLE_OK && status >= 300))) {
    std::string phrase = a.reason_phrase.empty() ? standard_reason(status) : a.reason_phrase;
    std::string reason = "HTTP " + std::to_string(status) + (phrase.empty() ? "" : " " + phrase);
    bool transient = status >= 500 || status == 429;
    return result(transient ? Outcome::transient : Outcome::permanent, FailureKind::http_status, reason, status);
  }
  if (rc == CURLE_OK) {
    if (a.total && a.part.size() != *a.total)
      return result(Outcome::transient, FailureKind::cut, "the connection closed at " + a.position());
    return result(Outcome::complete, FailureKind::none, "");
  }

  std::string detail = curl_detail(a.curl, rc, errbuf);
  switch (rc) {
    case CURLE_PARTIAL_FILE:
      return result(Outcome::transient, FailureKind::cut, "the connection closed at " + a.position());
    case CURLE_COULDNT_CONNECT:
      return result(Outcome::transient, FailureKind::connect, detail);
    case CURLE_OPERATION_TIMEDOUT: {
      curl_off_t connected = 0;
      curl_easy_getinfo(a.curl, CURLINFO_CONNECT_TIME_T, &connected);
      if (connected == 0)
        return result(Outcome::transient, FailureKind::connect,
                      "cannot connect within " + std::to_string(a.settings.connect_timeout.count()) + " s");
      return result(Outcome::transient, FailureKind::timeout, "timed out at " + a.position());
    }
    case CURLE_RECV_ERROR:
    case CURLE_SEND_ERROR:
    case CURLE_GOT_NOTHING:
    case CURLE_HTTP2:
    case CURLE_HTTP2_STREAM:
    case CURLE_SSL_CONNECT_ERROR:
      return result(Outcome::transient, FailureKind::cut, detail);
    case CURLE_COULDNT_RESOLVE_HOST:
    case CURLE_COULDNT_RESOLVE_PROXY:
      return result(Outcome::permanent, FailureKind::connect, detail);
    case CURLE_TOO_MANY_REDIRECTS:
      return result(Outcome::permanent, FailureKind::other,
                    "more than " + std::to_string(kMaxRedirects) + " redirects");
    default:
      return result(Outcome::permanent, FailureKind::other, detail);
  }
}

bool is_http_url(const std::string& url) {
  return starts_with_nocase(url, "http://") || starts_with_nocase(url, "https://");
}

// libcurl reads http_proxy, HTTPS_PROXY/https_proxy, ALL_PROXY and NO_PROXY
// itself (we never set CURLOPT_PROXY or CURLOPT_NOPROXY otherwise). For
// http:// it reads only the lower-case name (a guard against "httpoxy" in
// CGI programs, which rtx is not): the upper-case HTTP_PROXY that many
// corporate setups export is passed on here. NO_PROXY still applies to it.
void honour_upper_case_http_proxy(CURL* curl, const std::string& url) {
  if (!starts_with_nocase(url, "http://")) return;
  const char* lower = std::getenv("http_proxy");
  const char* upper = std::getenv("HTTP_PROXY");
  if ((!lower || !*lower) && upper && *upper) set(curl, CURLOPT_PROXY, upper);
}

}  // namespace

AttemptResult transfer_once(const TransferSettings& settings, PartFile& part, BackgroundHasher& hasher,
                            ProgressMeter& progress, std::uint64_t& fetched) {
  Attempt a(settings, part, hasher, progress, fetched);
  a.http = is_http_url(settings.url);
  if (!a.http && part.size() > 0) {  // file:// has no Range: always the whole file
    if (auto failed = restart_part(a)) return *failed;
  }
  a.offset = part.size();

  CURL* c = a.curl = thread_curl_handle();  // reused: its connections and CA store outlive this transfer
  char errbuf[CURL_ERROR_SIZE] = {0};
  set(c, CURLOPT_URL, settings.url.c_str());
  set(c, CURLOPT_ERRORBUFFER, errbuf);
  set(c, CURLOPT_NOSIGNAL, 1L);  // no SIGALRM for DNS timeouts: we may run beside other threads
  set(c, CURLOPT_PROTOCOLS_STR, "http,https,file");
  set(c, CURLOPT_REDIR_PROTOCOLS_STR, "http,https");  // a server must never redirect us to file://
  set(c, CURLOPT_FOLLOWLOCATION, 1L);
  set(c, CURLOPT_MAXREDIRS, kMaxRedirects);
  set(c, CURLOPT_USERAGENT, "rtx/0.1.0");
  set(c, CURLOPT_CONNECTTIMEOUT_MS, long(std::chrono::milliseconds(settings.connect_timeout).count()));
  if (settings.time_left) set(c, CURLOPT_TIMEOUT_MS, std::max(1L, long(settings.time_left->count())));
  set(c, CURLOPT_TCP_KEEPALIVE, 1L);
  // Best effort: libcurl refuses a new size once a reused handle has its
  // receive buffer (after an aborted transfer); the old one serves as well.
  (void)curl_easy_setopt(c, CURLOPT_BUFFERSIZE, kReceiveBuffer);
  set(c, CURLOPT_HEADERFUNCTION, header_cb);
  set(c, CURLOPT_HEADERDATA, &a);
  set(c, CURLOPT_WRITEFUNCTION, body_cb);
  set(c, CURLOPT_WRITEDATA, &a);
  // Our own stall watchdog instead of CURLOPT_LOW_SPEED_TIME: libcurl's speed
  // is an average over the last 5 s, so after a burst it notices a stall
  // seconds late; "no byte for N s" is exact and what RTX_HTTP_STALL_TIMEOUT says.
  set(c, CURLOPT_NOPROGRESS, 0L);
  set(c, CURLOPT_XFERINFOFUNCTION, tick_cb);
  set(c, CURLOPT_XFERINFODATA, &a);
  honour_upper_case_http_proxy(c, settings.url);
  CurlHeaders headers;
  for (const auto& h : settings.headers) headers.add(h.c_str());
  if (headers.get()) set(c, CURLOPT_HTTPHEADER, headers.get());
  std::string range = std::to_string(a.offset) + "-";  // "Range: bytes=<size>-"
  if (a.http && a.offset > 0) set(c, CURLOPT_RANGE, range.c_str());

  // The options point into this frame (errbuf, headers, range, `a`): cleared
  // before any of them goes, so the kept handle never holds a dangling one.
  struct ResetWhenDone {
    CURL* curl;
    ~ResetWhenDone() { curl_easy_reset(curl); }
  } reset_when_done{c};
  CURLcode rc = curl_easy_perform(c);
  AttemptResult r = classify(a, rc, errbuf);
  r.continued = a.continued;
  return r;
}

}  // namespace rtx::net
