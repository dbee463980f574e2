#include "manager/mirror/publish.hpp"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <atomic>
#include <cerrno>

#include "manager/net/hashing.hpp"
#include "manager/store/atomic_file.hpp"
#include "manager/util/fs.hpp"
#include "resolver/file_io.hpp"
#include "resolver/unique_fd.hpp"

namespace rtx::mirror {
namespace {

// A name in the artifact's folder that listings of the mirror skip ('.').
std::string publish_temp_name(const std::string& path) {
  static std::atomic<unsigned> counter{0};
  std::string dir = util::parent_dir(path);
  return dir + "/.tmp." + path.substr(dir.size() + 1) + "." + std::to_string(::getpid()) + "." +
         std::to_string(counter++);
}

// Copies `from` to the new file `to`, hashing the bytes written: the copy is
// verified, not only its source before it.
Status publish_copy(const std::string& from, const std::string& to, const net::Checksum& sum) {
  UniqueFd in(::open(from.c_str(), O_RDONLY | O_CLOEXEC));
  if (!in.valid()) return make_error("cannot read " + from + ": " + util::errno_text());
  UniqueFd out(::open(to.c_str(), O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0644));
  if (!out.valid()) return make_error("cannot write " + to + ": " + util::errno_text());
  net::Hasher hasher(sum.algorithm);
  char buf[1 << 16];
  for (;;) {
    ssize_t n = ::read(in.get(), buf, sizeof buf);
    if (n < 0 && errno == EINTR) continue;
    if (n < 0) return make_error("cannot read " + from + ": " + util::errno_text());
    if (n == 0) break;
    hasher.update(buf, std::size_t(n));
    for (ssize_t done = 0; done < n;) {
      ssize_t w = ::write(out.get(), buf + done, std::size_t(n - done));
      if (w < 0 && errno == EINTR) continue;
      if (w <= 0) return make_error("cannot write " + to + ": " + util::errno_text() + ": free some disk space");
      done += w;
    }
  }
  if (::fsync(out.get()) != 0 || ::close(out.release()) != 0)
    return make_error("cannot write " + to + ": " + util::errno_text() + ": free some disk space");
  if (!(hasher.finish() == sum))
    return make_error("the download cache's copy of " + sum.to_string() + " (" + from +
                      ") changed while it was copied: run the export again");
  return ok_status();
}

}  // namespace

bool plain_segment(std::string_view s) {
  if (s.empty() || s == "." || s == "..") return false;
  for (unsigned char c : s)
    if (c < 0x20 || c == 0x7f || c == '%' || c == '?' || c == '#' || c == '\\' || c == '/') return false;
  return true;
}

Expected<std::string> path_under(const std::string& url, const std::string& base, const std::string& what) {
  std::string prefix = base;
  while (!prefix.empty() && prefix.back() == '/') prefix.pop_back();
  prefix += "/";
  auto refuse = [&](const std::string& why) {
    return make_error("cannot place " + what + " in the mirror: its URL " + url + " " + why);
  };
  if (url.size() <= prefix.size() || url.compare(0, prefix.size(), prefix) != 0)
    return refuse("is not under " + base + " (a lock or index naming another host: lock it again against " + base +
                  ")");
  std::string rel = url.substr(prefix.size());
  for (std::size_t start = 0;;) {
    std::size_t slash = rel.find('/', start);
    std::string_view segment = std::string_view(rel).substr(start, slash == std::string::npos ? slash : slash - start);
    if (!plain_segment(segment))
      return refuse("has the path segment '" + std::string(segment) +
                    "', which a static web server would not serve as that file");
    if (slash == std::string::npos) break;
    start = slash + 1;
  }
  return rel;
}

Expected<std::optional<std::string>> Publisher::read(const std::string& rel, std::uint64_t max_bytes) const {
  const std::string file = path(rel);
  struct stat st {};
  if (::lstat(file.c_str(), &st) != 0) {
    if (errno == ENOENT || errno == ENOTDIR) return std::optional<std::string>();
    return make_error("cannot read " + file + ": " + util::errno_text());
  }
  if (!S_ISREG(st.st_mode))
    return make_error(file + " is not a regular file: move it away or export into another folder");
  if (std::uint64_t(st.st_size) > max_bytes)
    return make_error(file + " is larger than " + std::to_string(max_bytes >> 20) +
                      " MiB: it was not written by 'rtx mirror export'; move it away or export into another folder");
  std::string text;
  if (resolver::read_file(file, text) != 0) return make_error("cannot read " + file + ": " + util::errno_text());
  return std::optional<std::string>(std::move(text));
}

Status Publisher::write(const std::string& rel, std::string_view text) {
  auto old = read(rel);
  if (old && *old && **old == text) return ok_status();
  const std::string file = path(rel);
  if (auto st = util::make_dirs(util::parent_dir(file)); !st) return st;
  if (auto st = store::write_file_atomic(file, text, 0644); !st) return st;
  ++counts_.documents;
  return ok_status();
}

Status Publisher::remove(const std::string& rel) {
  const std::string file = path(rel);
  if (::unlink(file.c_str()) != 0 && errno != ENOENT)
    return make_error("cannot remove " + file + ": " + util::errno_text());
  return ok_status();
}

Status Publisher::put_artifact(const std::string& rel, const std::string& cached, const net::Checksum& sum) {
  const std::string file = path(rel);
  struct stat src {};
  if (::stat(cached.c_str(), &src) != 0) return make_error("cannot read " + cached + ": " + util::errno_text());
  counts_.all_bytes += std::uint64_t(src.st_size);
  if (struct stat dst{}; ::lstat(file.c_str(), &dst) == 0 && S_ISREG(dst.st_mode)) {
    bool same = dst.st_dev == src.st_dev && dst.st_ino == src.st_ino;
    if (!same) {
      auto h = net::hash_file(file, sum.algorithm);
      same = h && *h == sum;
    }
    if (same) {
      ++counts_.unchanged;
      return ok_status();
    }
  }
  if (auto st = util::make_dirs(util::parent_dir(file)); !st) return st;
  const std::string tmp = publish_temp_name(file);
  bool linked = ::link(cached.c_str(), tmp.c_str()) == 0;  // EXDEV (another filesystem) and the rest: copy
  if (!linked)
    if (auto st = publish_copy(cached, tmp, sum); !st) {
      ::unlink(tmp.c_str());
      return st;
    }
  if (::rename(tmp.c_str(), file.c_str()) != 0) {
    std::string why = util::errno_text();
    ::unlink(tmp.c_str());
    return make_error("cannot write " + file + ": " + why);
  }
  util::fsync_dir(util::parent_dir(file));
  ++counts_.artifacts;
  counts_.linked += linked ? 1 : 0;
  counts_.bytes += std::uint64_t(src.st_size);
  return ok_status();
}

}  // namespace rtx::mirror
