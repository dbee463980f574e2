#include "manager/backends/core/metadata_cache.hpp"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <chrono>
#include <mutex>
#include <set>

#include "manager/net/hashing.hpp"
#include "manager/net/offline.hpp"
#include "manager/store/atomic_file.hpp"
#include "manager/util/fs.hpp"
#include "manager/util/log.hpp"
#include "resolver/unique_fd.hpp"

namespace rtx::backends::core {
namespace {

constexpr std::string_view kMetadataMagic = "rtx-metadata 1\n";
// Far beyond any mirror's URL; it bounds the header, so a file larger than
// the document limit plus this is refused before it is read.
constexpr std::size_t kMaxMetadataUrlBytes = 8192;
constexpr std::size_t kMaxMetadataHeaderBytes = kMaxMetadataUrlBytes + 256;

std::string metadata_sha256(std::string_view bytes) {
  net::Hasher h(net::HashAlgorithm::sha256);
  h.update(bytes);
  return h.finish().hex;
}

// Reads "<key> <value>\n" at `pos`; false when the line is not that.
bool metadata_field(std::string_view entry, std::size_t& pos, std::string_view key, std::string_view& value) {
  if (entry.substr(pos, key.size()) != key || entry.substr(pos + key.size(), 1) != " ") return false;
  std::size_t start = pos + key.size() + 1;
  std::size_t nl = entry.find('\n', start);
  if (nl == std::string_view::npos) return false;
  value = entry.substr(start, nl - start);
  pos = nl + 1;
  return true;
}

// A decimal of 1 to 18 digits (no sign, no spaces): fits in 64 bits.
bool metadata_number(std::string_view text, std::uint64_t& out) {
  if (text.empty() || text.size() > 18) return false;
  out = 0;
  for (char c : text) {
    if (c < '0' || c > '9') return false;
    out = out * 10 + std::uint64_t(c - '0');
  }
  return true;
}

bool metadata_url_storable(std::string_view url) {
  if (url.empty() || url.size() > kMaxMetadataUrlBytes) return false;
  for (char c : url)
    if (static_cast<unsigned char>(c) < 0x20 || c == 0x7f) return false;
  return true;
}

std::int64_t metadata_now() {
  return std::chrono::duration_cast<std::chrono::seconds>(std::chrono::system_clock::now().time_since_epoch()).count();
}

}  // namespace

std::string metadata_cache_path(const std::string& cache_dir, std::string_view url) {
  return cache_dir + "/metadata/" + metadata_sha256(url);
}

std::string format_metadata_entry(std::string_view url, std::int64_t fetched_at, std::string_view text) {
  std::string out(kMetadataMagic);
  out += "url ";
  out += url;
  out += "\nfetched " + std::to_string(std::max<std::int64_t>(0, fetched_at));
  out += "\nsize " + std::to_string(text.size());
  out += "\nsha256 " + metadata_sha256(text) + "\n\n";
  out += text;
  return out;
}

std::optional<CachedDocument> parse_metadata_entry(std::string_view entry, std::string_view url,
                                                   std::uint64_t max_bytes, std::string* why) {
  auto refuse = [&](const char* what) -> std::optional<CachedDocument> {
    if (why) *why = what;
    return std::nullopt;
  };
  if (entry.substr(0, kMetadataMagic.size()) != kMetadataMagic) return refuse("not an rtx metadata entry");
  std::size_t pos = kMetadataMagic.size();
  std::string_view got_url, fetched, size, sha;
  if (!metadata_field(entry, pos, "url", got_url) || !metadata_field(entry, pos, "fetched", fetched) ||
      !metadata_field(entry, pos, "size", size) || !metadata_field(entry, pos, "sha256", sha))
    return refuse("its header is damaged");
  if (entry.substr(pos, 1) != "\n") return refuse("its header does not end");
  ++pos;
  if (got_url != url) return refuse("it holds another URL");
  std::uint64_t fetched_at = 0, body_size = 0;
  if (!metadata_number(fetched, fetched_at) || !metadata_number(size, body_size)) return refuse("a bad number");
  if (body_size > max_bytes) return refuse("it is larger than the document limit");
  std::string_view body = entry.substr(pos);
  if (body.size() != body_size) return refuse("it is cut short or too long");
  if (sha != metadata_sha256(body)) return refuse("its checksum does not match");
  CachedDocument doc;
  doc.text = std::string(body);
  doc.fetched_at = std::int64_t(fetched_at);
  return doc;
}

Status save_metadata(const std::string& cache_dir, std::string_view url, std::string_view text,
                     std::int64_t fetched_at) {
  if (!metadata_url_storable(url)) return make_error("the URL is too long or has control characters");
  std::string path = metadata_cache_path(cache_dir, url);
  if (auto st = util::make_dirs(util::parent_dir(path)); !st) return st;
  return store::write_file_atomic(path, format_metadata_entry(url, fetched_at, text));
}

std::optional<CachedDocument> load_metadata(const std::string& cache_dir, std::string_view url,
                                            std::uint64_t max_bytes) {
  std::string path = metadata_cache_path(cache_dir, url);
  auto ignore = [&](const std::string& what) -> std::optional<CachedDocument> {
    util::log_debug("ignoring the cached copy of " + std::string(url) + " (" + path + "): " + what);
    return std::nullopt;
  };
  // O_NONBLOCK: a FIFO planted under the name must not hang rtx.
  UniqueFd fd(::open(path.c_str(), O_RDONLY | O_CLOEXEC | O_NOFOLLOW | O_NONBLOCK));
  if (!fd.valid()) {
    if (errno == ENOENT) return std::nullopt;
    return ignore(util::errno_text());
  }
  struct stat st {};
  if (::fstat(fd.get(), &st) != 0) return ignore(util::errno_text());
  if (!S_ISREG(st.st_mode)) return ignore("not a regular file");
  if (st.st_uid != ::geteuid()) return ignore("owned by another user");
  if (std::uint64_t(st.st_size) > max_bytes + kMaxMetadataHeaderBytes) return ignore("larger than the document limit");
  std::string entry(std::size_t(st.st_size), '\0');
  std::size_t done = 0;
  while (done < entry.size()) {
    ssize_t n = ::read(fd.get(), entry.data() + done, entry.size() - done);
    if (n < 0 && errno == EINTR) continue;
    if (n < 0) return ignore(util::errno_text());
    if (n == 0) break;
    done += std::size_t(n);
  }
  entry.resize(done);
  std::string why;
  auto doc = parse_metadata_entry(entry, url, max_bytes, &why);
  if (!doc) return ignore(why);
  return doc;
}

Expected<std::string> offline_metadata(const std::string& cache_dir, const std::string& url, std::uint64_t max_bytes) {
  auto doc = load_metadata(cache_dir, url, max_bytes);
  if (!doc)
    return make_error(net::offline_reason() + ": " + url + " was never fetched with the network, so rtx has no copy (" +
                      metadata_cache_path(cache_dir, url) +
                      "): run the command once with the network (without RTX_OFFLINE or --offline), then retry");
  // One notice per document and process: an install may read an index twice.
  static std::mutex noticed_mutex;
  static std::set<std::string> noticed;
  bool first;
  {
    std::lock_guard<std::mutex> lock(noticed_mutex);
    first = noticed.insert(url).second;
  }
  if (first)
    util::log_info("using " + url + " from the cache (fetched " +
                   net::format_age(std::chrono::seconds(metadata_now() - doc->fetched_at)) +
                   " ago): " + net::offline_reason());
  return std::move(doc->text);
}

}  // namespace rtx::backends::core
