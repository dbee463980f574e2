#include "manager/backends/remote_versions_cache.hpp"

#include <fcntl.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include <cstdlib>
#include <ctime>

#include "manager/store/atomic_file.hpp"
#include "manager/util/fs.hpp"
#include "resolver/store_layout.hpp"
#include "resolver/unique_fd.hpp"
#include "resolver/version.hpp"

namespace rtx::backends {
namespace {

// Far above any real list (python's, the longest, is a few thousand short
// lines): past this the file is not one rtx wrote.
constexpr off_t kMaxRemoteVersionsFileBytes = off_t{4} << 20;

// The whole file, or false when it is not one this user's rtx could have written.
bool read_own_remote_versions_file(const std::string& path, std::string& text, struct stat& st) {
  UniqueFd fd(::open(path.c_str(), O_RDONLY | O_CLOEXEC | O_NOFOLLOW | O_NONBLOCK));
  if (!fd.valid() || ::fstat(fd.get(), &st) != 0) return false;
  if (!S_ISREG(st.st_mode) || st.st_uid != ::geteuid() || st.st_size > kMaxRemoteVersionsFileBytes) return false;
  text.resize(std::size_t(st.st_size));
  std::size_t done = 0;
  while (done < text.size()) {
    ssize_t n = ::read(fd.get(), text.data() + done, text.size() - done);
    if (n < 0 && errno == EINTR) continue;
    if (n <= 0) break;
    done += std::size_t(n);
  }
  text.resize(done);
  return true;
}

// Age of a file from its mtime; a file from the future is never fresh.
bool remote_versions_file_is_fresh(const struct stat& st, std::chrono::seconds ttl) {
  timespec now{};
  ::clock_gettime(CLOCK_REALTIME, &now);
  auto age =
      std::chrono::seconds(now.tv_sec - st.st_mtim.tv_sec) + std::chrono::nanoseconds(now.tv_nsec - st.st_mtim.tv_nsec);
  return age >= std::chrono::nanoseconds::zero() && age < ttl;
}

}  // namespace

std::chrono::seconds remote_cache_ttl() {
  const char* v = std::getenv("RTX_REMOTE_CACHE_TTL");
  if (!v || !*v) return kDefaultRemoteCacheTtl;
  std::chrono::seconds::rep n = 0;
  for (const char* p = v; *p; ++p) {
    if (*p < '0' || *p > '9' || n > 100'000'000) return kDefaultRemoteCacheTtl;  // not seconds, or years
    n = n * 10 + (*p - '0');
  }
  return std::chrono::seconds(n);
}

std::string remote_versions_path(const std::string& cache_dir, std::string_view tool) {
  return cache_dir + "/remote-versions/" + resolver::tool_dir_name(tool);
}

CachedVersions load_remote_versions(const std::string& cache_dir, std::string_view tool, std::chrono::seconds ttl) {
  CachedVersions out;
  std::string text;
  struct stat st {};
  if (!read_own_remote_versions_file(remote_versions_path(cache_dir, tool), text, st)) return out;
  std::size_t pos = 0;
  while (pos < text.size()) {
    std::size_t nl = text.find('\n', pos);
    if (nl == std::string::npos) return {};  // cut short: rtx always ends the last line
    std::string_view line(text.data() + pos, nl - pos);
    if (!resolver::validate_version(line)) return {};
    out.versions.emplace_back(line);
    pos = nl + 1;
  }
  out.present = true;
  out.fresh = remote_versions_file_is_fresh(st, ttl);
  out.age = std::chrono::seconds(std::time(nullptr) - st.st_mtim.tv_sec);
  return out;
}

Status save_remote_versions(const std::string& cache_dir, std::string_view tool,
                            const std::vector<std::string>& versions) {
  std::string path = remote_versions_path(cache_dir, tool);
  if (auto st = util::make_dirs(util::parent_dir(path)); !st) return st;
  std::string text;
  for (const auto& v : versions)
    if (resolver::validate_version(v)) text += v + "\n";
  return store::write_file_atomic(path, text);
}

}  // namespace rtx::backends
