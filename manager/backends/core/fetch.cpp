#include "manager/backends/core/fetch.hpp"

#include <strings.h>
#include <sys/utsname.h>
#include <unistd.h>

#include <algorithm>
#include <atomic>
#include <cctype>
#include <cstdint>
#include <cstdlib>
#include <ctime>
#include <string_view>

#include "manager/archive/extract.hpp"
#include "manager/backends/asdf_plugin.hpp"
#include "manager/backends/core/metadata_cache.hpp"
#include "manager/net/download_cache.hpp"
#include "manager/net/downloader.hpp"
#include "manager/net/offline.hpp"
#include "manager/util/fs.hpp"
#include "manager/util/log.hpp"
#include "manager/util/process_runner.hpp"
#include "resolver/file_io.hpp"

namespace rtx::backends::core {

std::string mirror(const char* variable, const char* fallback) {
  const char* v = std::getenv(variable);
  std::string out = (v && *v) ? v : fallback;
  while (!out.empty() && out.back() == '/') out.pop_back();
  return out;
}

namespace {

// A positive number of bytes with an optional K, M or G (binary units), from
// `variable`; unset or empty: `fallback`. Read before any download, so a
// typo costs nothing.
Expected<std::uint64_t> size_from_env(const char* variable, std::uint64_t fallback, const char* examples) {
  const char* v = std::getenv(variable);
  if (!v || !*v) return fallback;
  auto refuse = [&] {
    return make_error(std::string(variable) + "='" + v + "' is not a size (e.g. " + examples + "): fix or unset it");
  };
  std::string_view text(v);
  int shift = 0;
  if (auto unit = std::string_view("KMG").find(char(std::toupper(static_cast<unsigned char>(text.back()))));
      unit != std::string_view::npos) {
    shift = 10 * int(unit + 1);
    text.remove_suffix(1);
  }
  if (text.empty() || text.size() > 19) return refuse();  // 19 digits always fit in 64 bits
  std::uint64_t n = 0;
  for (char c : text) {
    if (c < '0' || c > '9') return refuse();
    n = n * 10 + std::uint64_t(c - '0');
  }
  if (n == 0 || n > (UINT64_MAX >> shift)) return refuse();
  return n << shift;
}

// RTX_MAX_EXTRACT_BYTES: how much one archive may expand to (limits.hpp).
Expected<std::uint64_t> max_extract_bytes_from_env() {
  return size_from_env("RTX_MAX_EXTRACT_BYTES", archive::kDefaultMaxTotalBytes, "512M, 8G");
}

}  // namespace

Expected<MetadataLimit> metadata_limit(std::uint64_t fallback) {
  auto bytes = size_from_env("RTX_MAX_METADATA_BYTES", fallback, "64M, 256M");
  if (!bytes) return Error{bytes.error()};
  std::string twice = std::to_string(std::max<std::uint64_t>(1, (*bytes >> 20) * 2)) + "M";
  return MetadataLimit{
      *bytes, "if the server is right, raise RTX_MAX_METADATA_BYTES (e.g. RTX_MAX_METADATA_BYTES=" + twice + ")"};
}

Expected<std::string> fetch_text(const BackendEnv& env, const std::string& url, const std::string& hint,
                                 std::uint64_t max_bytes, const std::vector<std::string>& headers) {
  auto limit = metadata_limit(max_bytes);
  if (!limit) return Error{limit.error()};
  // Offline: the copy the last online fetch kept (metadata_cache.hpp), never the network.
  if (auto offline = net::offline_mode(); !offline) {
    return Error{offline.error()};
  } else if (*offline && net::needs_network(url)) {
    return offline_metadata(env.cache_dir, url, limit->bytes);
  }
  std::string dir = env.cache_dir + "/tmp";
  if (auto st = util::make_dirs(dir); !st) return Error{st.error()};
  net::DownloadRequest req;
  req.url = url;
  // Unique per call, not only per process: parallel installs fetch from threads.
  static std::atomic<unsigned> fetch_text_counter{0};
  req.dest = dir + "/index-" + std::to_string(::getpid()) + "-" + std::to_string(fetch_text_counter++) + "-" +
             net::filename_from_url(url);
  req.hint = hint;
  req.headers = headers;
  req.progress_fd = -1;
  req.max_bytes = limit->bytes;
  req.max_bytes_fix = limit->fix;
  auto got = net::download(req);
  if (!got) return Error{got.error()};
  std::string text;
  int err = resolver::read_file(got->path, text);
  ::unlink(got->path.c_str());
  if (err) return make_error("cannot read the download of " + url + ": " + util::errno_text());
  // Kept for RTX_OFFLINE; a failure costs only that, so it is a debug line.
  // What credentials fetched may be private: not kept in a cache others may read.
  bool credentialed = std::any_of(headers.begin(), headers.end(), [](const std::string& h) {
    return h.size() >= 14 && ::strncasecmp(h.c_str(), "authorization:", 14) == 0;
  });
  if (net::needs_network(url) && !credentialed)
    if (auto kept = save_metadata(env.cache_dir, url, text, std::time(nullptr)); !kept)
      util::log_debug("cannot keep " + url + " for offline use: " + kept.error());
  return text;
}

namespace {

// The host of an http(s) URL, lower-cased, without userinfo, port or brackets.
std::string url_host(std::string_view url) {
  url.remove_prefix(std::min(url.size(), url.find("://") + 3));
  url = url.substr(0, url.find_first_of("/?#"));
  if (auto at = url.rfind('@'); at != std::string_view::npos) url.remove_prefix(at + 1);
  std::string host;
  if (!url.empty() && url.front() == '[') {
    host = std::string(url.substr(1, url.find(']') - 1));
  } else {
    host = std::string(url.substr(0, url.find(':')));
  }
  for (char& c : host) c = char(std::tolower(static_cast<unsigned char>(c)));
  return host;
}

bool is_loopback_host(const std::string& host) {
  if (host == "localhost" || host == "::1") return true;
  if (host.rfind("127.", 0) != 0) return false;
  return host.find_first_not_of("0123456789.") == std::string::npos;
}

}  // namespace

Status check_transport(const std::string& url, ChecksumOrigin origin, const std::string& how_to_fix) {
  // Schemes are case-insensitive (curl fetches "HTTP://host/" as plain http too).
  bool plain_http = url.size() >= 7 && ::strncasecmp(url.c_str(), "http://", 7) == 0;
  if (!plain_http || origin != ChecksumOrigin::index) return ok_status();
  if (is_loopback_host(url_host(url))) return ok_status();
  return make_error("refusing " + url +
                    ": over plain http:// whoever can change the file can change its checksum in the index too, "
                    "and this checksum is neither locked nor signed: " +
                    how_to_fix);
}

Status fetch_and_extract(const BackendEnv& env, const std::string& url, const net::Checksum& sum,
                         const std::string& install_path, int strip_components, const std::string& hint,
                         const std::vector<std::string>& headers, int progress_fd, ChecksumOrigin origin) {
  if (Status st = check_transport(url, origin,
                                  "use an https:// mirror, or lock the checksum ('rtx lock' where the network is "
                                  "trusted, then 'rtx install --locked')");
      !st)
    return st;
  auto max_bytes = max_extract_bytes_from_env();
  if (!max_bytes) return Error{max_bytes.error()};
  net::DownloadRequest req;
  req.url = url;
  req.expected = sum;
  req.cache_dir = env.cache_dir;
  req.hint = hint;
  req.headers = headers;
  req.progress_fd = progress_fd;
  auto got = net::download(req);
  if (!got) return Error{got.error()};
  archive::ExtractRequest x;
  x.archive = got->path;
  x.destination = install_path;
  x.strip_components = strip_components;
  x.max_total_bytes = *max_bytes;
  auto done = archive::extract(x);
  if (!done) return Error{done.error()};
  return ok_status();
}

resolver::BuildMeta bin_dir_meta() {
  resolver::BuildMeta meta;
  meta.bin_dirs = {"bin"};
  return meta;
}

Status run_smoke(const std::string& tool, const std::string& version, const std::string& prefix, const std::string& exe,
                 const std::string& arg) {
  util::RunSpec spec;
  spec.argv = {prefix + "/bin/" + exe, arg};
  spec.timeout = timeouts_from_env().smoke;
  spec.capture_stdout = true;
  auto r = util::run_process(spec);
  if (!r.ok())
    return make_error(tool + " " + version + ": the smoke test (" + spec.argv[0] + " " + arg + ") " +
                      r.describe(spec.timeout) + ": the build is broken");
  return ok_status();
}

namespace {

std::string_view machine() {
  // Made once, thread-safely: `rtx install -j` asks from several threads
  // (the lazy fill it replaces was a data race, reported by TSan).
  static const utsname u = [] {
    utsname v{};
    ::uname(&v);
    return v;
  }();
  return u.machine;
}

}  // namespace

std::string node_arch() { return machine() == "aarch64" ? "arm64" : "x64"; }
std::string go_arch() { return machine() == "aarch64" ? "arm64" : "amd64"; }
std::string gnu_arch() { return machine() == "aarch64" ? "aarch64" : "x86_64"; }

}  // namespace rtx::backends::core
