#include "manager/store/lease_scan.hpp"

#include <dirent.h>
#include <fcntl.h>
#include <sys/stat.h>
#include <sys/sysmacros.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <climits>
#include <cstdio>
#include <cstdlib>
#include <string_view>
#include <system_error>
#include <thread>

#include "manager/store/proc_scan.hpp"
#include "resolver/file_io.hpp"
#include "resolver/unique_fd.hpp"

namespace rtx::store {
namespace {

constexpr std::string_view kDeleted = " (deleted)";
constexpr std::string_view kLeaseSuffix = ".lease";

// What the safety net saw, strongest first (a row names the first that applies).
enum Seen : unsigned { kExe = 1, kCwd = 2, kFd = 4, kMap = 8, kLeaseRow = 16 };

const char* how_of(unsigned seen) {
  if (seen & kExe) return "exe";
  if (seen & kCwd) return "cwd";
  if (seen & kFd) return "fd";
  return "map";
}

// readlinkat into the caller's buffer, " (deleted)" dropped: no allocation per fd.
std::string_view link_at(int dirfd, const char* name, char* buf, std::size_t size) {
  ssize_t n = ::readlinkat(dirfd, name, buf, size);
  if (n <= 0 || std::size_t(n) == size) return {};
  std::string_view s(buf, std::size_t(n));
  if (s.ends_with(kDeleted)) s.remove_suffix(kDeleted.size());
  return s;
}

bool under(std::string_view path, std::string_view root) {
  return path.starts_with(root) && (path.size() == root.size() || path[root.size()] == '/');
}

// f(name) for every entry but dot files, through getdents64 on a stack buffer
// (opendir would allocate a 32 KiB DIR for each of a thousand processes).
template <typename F>
void for_each_name(int dirfd, F&& f) {
  alignas(dirent64) char buf[16384];
  for (;;) {
    ssize_t n = ::getdents64(dirfd, buf, sizeof buf);
    if (n <= 0) return;
    for (ssize_t off = 0; off < n;) {
      const auto* d = reinterpret_cast<const dirent64*>(buf + off);
      off += d->d_reclen;
      if (d->d_name[0] != '.') f(d->d_name);
    }
  }
}

bool all_digits(const char* s) {
  if (!*s) return false;
  for (; *s; ++s)
    if (*s < '0' || *s > '9') return false;
  return true;
}

// "<store>/<tool dir>/<entry>.lease" → tool dir and entry.
bool parse_lease(std::string_view target, std::string_view store, std::string_view& tool_dir, std::string_view& entry) {
  if (!target.ends_with(kLeaseSuffix) || !under(target, store) || target.size() <= store.size() + 1) return false;
  std::string_view rest = target.substr(store.size() + 1);
  rest.remove_suffix(kLeaseSuffix.size());
  std::size_t slash = rest.find('/');
  if (slash == 0 || slash == std::string_view::npos || slash + 1 == rest.size()) return false;
  tool_dir = rest.substr(0, slash);
  entry = rest.substr(slash + 1);
  return entry.find('/') == std::string_view::npos;
}

std::string tool_of_dir(std::string_view dir) {
  std::string tool(dir);
  for (char& c : tool)
    if (c == '+') c = '/';
  return tool;
}

// A /proc file into a buffer reused across processes. False when unreadable.
bool read_at(int dirfd, const char* rel, std::string& out) {
  UniqueFd fd(::openat(dirfd, rel, O_RDONLY | O_CLOEXEC));
  if (!fd.valid()) return false;
  out.clear();
  char buf[16384];
  for (;;) {
    ssize_t n = ::read(fd.get(), buf, sizeof buf);
    if (n < 0 && errno == EINTR) continue;
    if (n <= 0) return n == 0;
    out.append(buf, std::size_t(n));
  }
}

// f(key) for every mapping whose path is under "<store>/<tool dir>/<entry>",
// key being "<tool dir>/<entry>". A path counts when it starts after a space
// and the entry is followed by '/', the line end, or the kernel's " (deleted)"
// mark; "<entry>x" or "<entry> y" are other paths. One pass over the text,
// whatever the number of builds watched.
template <typename F>
void for_each_mapped_build(std::string_view maps, std::string_view store, F&& f) {
  for (std::size_t pos = 0; (pos = maps.find(store, pos)) != std::string_view::npos; pos += store.size()) {
    std::size_t at = pos + store.size();
    if (pos == 0 || maps[pos - 1] != ' ' || at >= maps.size() || maps[at] != '/') continue;
    std::size_t line_end = maps.find('\n', at);
    std::string_view path = maps.substr(at + 1, (line_end == std::string_view::npos ? maps.size() : line_end) - at - 1);
    std::size_t slash = path.find('/');
    if (slash == 0 || slash == std::string_view::npos) continue;
    std::size_t end = path.find('/', slash + 1);
    std::string_view key = path.substr(0, end);
    if (end == std::string_view::npos) {  // the entry itself: nothing after but " (deleted)"
      if (std::size_t mark = key.find(kDeleted, slash); mark != std::string_view::npos) {
        if (mark + kDeleted.size() != key.size()) continue;
        key = key.substr(0, mark);
      } else if (key.find(' ', slash) != std::string_view::npos) {
        continue;
      }
    }
    if (key.size() > slash + 1) f(key);
  }
}

struct Watched {
  BuildRef build;
  std::string key;  // "<tool dir>/<entry>": its path is "<store>/<key>", as /proc shows it (resolved)
};

std::int64_t boot_time() {
  static const std::int64_t btime = [] {
    std::string stat;
    if (resolver::read_file("/proc/stat", stat) != 0) return std::int64_t(0);
    std::size_t pos = stat.find("\nbtime ");
    return pos == std::string::npos ? std::int64_t(0) : std::int64_t(std::strtoll(stat.c_str() + pos + 7, nullptr, 10));
  }();
  return btime;
}

// Start time (/proc/<pid>/stat field 22, clock ticks since boot, plus btime)
// and command line, read relative to /proc through `buffer`.
std::optional<ProcessInfo> info_at(int proc, pid_t pid, std::string& buffer) {
  char rel[64];
  std::snprintf(rel, sizeof rel, "%d/stat", int(pid));
  if (!read_at(proc, rel, buffer)) return std::nullopt;
  // "pid (comm) state ppid …": comm may hold spaces and ')', so fields count
  // from the last ')'; starttime is field 22, the 20th after it.
  std::size_t open = buffer.find('('), close = buffer.rfind(')');
  if (open == std::string::npos || close == std::string::npos || close < open) return std::nullopt;
  const char* p = buffer.c_str() + close + 1;
  for (int field = 3; field < 22 && *p; ++field) {
    while (*p == ' ') ++p;
    while (*p && *p != ' ') ++p;
  }
  ProcessInfo info;
  static const long ticks = ::sysconf(_SC_CLK_TCK);
  unsigned long long start_ticks = std::strtoull(p, nullptr, 10);
  if (ticks > 0) info.started = boot_time() + std::int64_t(start_ticks / (unsigned long long)ticks);
  std::string comm = buffer.substr(open + 1, close - open - 1);

  std::snprintf(rel, sizeof rel, "%d/cmdline", int(pid));
  if (read_at(proc, rel, buffer)) {
    while (!buffer.empty() && buffer.back() == '\0') buffer.pop_back();
    for (char& c : buffer)
      if (c == '\0') c = ' ';
    info.command = buffer;
  }
  if (info.command.empty()) info.command = "[" + comm + "]";
  return info;
}

struct ScanScope {
  int proc = -1;         // /proc
  std::string store;     // resolved store dir
  std::string only_dir;  // folder name of the one tool asked for, or empty
  std::vector<Watched> watched;
  // Watched indices sorted by key: a path is matched by one binary search, not
  // a pass over every watched build (`rtx gc` watches all its busy builds).
  std::vector<std::size_t> by_key;

  void index_watched() {
    by_key.resize(watched.size());
    for (std::size_t i = 0; i < by_key.size(); ++i) by_key[i] = i;
    std::sort(by_key.begin(), by_key.end(),
              [&](std::size_t a, std::size_t b) { return watched[a].key < watched[b].key; });
  }
  // The watched build with this key, or npos.
  std::size_t find_key(std::string_view key) const {
    auto it = std::lower_bound(by_key.begin(), by_key.end(), key,
                               [&](std::size_t i, std::string_view k) { return watched[i].key < k; });
    return it != by_key.end() && watched[*it].key == key ? *it : std::string_view::npos;
  }
  // The watched build whose prefix `path` is, or is under; npos if none.
  std::size_t find_under(std::string_view path) const {
    if (watched.empty() || !under(path, store) || path.size() <= store.size() + 1) return std::string_view::npos;
    std::string_view rest = path.substr(store.size() + 1);
    std::size_t slash = rest.find('/');
    if (slash == 0 || slash == std::string_view::npos || slash + 1 == rest.size()) return std::string_view::npos;
    return find_key(rest.substr(0, rest.find('/', slash + 1)));
  }
};

// Looks at one process at a time; one per thread, its buffers reused for
// every process it sees (no allocation unless something is found).
class PidScanner {
 public:
  explicit PidScanner(const ScanScope& scope) : s_(scope), seen_(scope.watched.size()) {}
  void scan(pid_t pid, std::vector<Holding>& out);

 private:
  // Marks watched build w as seen `how`; only touched builds are looked at
  // (and reset) afterwards, so a process costs the same whatever the watch list.
  void mark(std::size_t w, unsigned how) {
    if (w == std::string_view::npos) return;
    if (!seen_[w]) touched_.push_back(w);
    seen_[w] |= how;
  }
  std::string_view link(const char* what) { return link_at(s_.proc, rel(what), target_, sizeof target_); }
  const char* rel(const char* what) {
    std::snprintf(rel_, sizeof rel_, "%d/%s", int(pid_), what);
    return rel_;
  }
  bool has_row(const std::vector<Holding>& out, std::size_t first, const BuildRef& b) const {
    for (std::size_t i = first; i < out.size(); ++i)
      if (out[i].build == b) return true;
    return false;
  }

  const ScanScope& s_;
  std::vector<unsigned> seen_;        // per watched build: Seen bits for this process
  std::vector<std::size_t> touched_;  // the builds whose seen_ is non-zero
  std::string text_;                  // maps, stat, cmdline
  pid_t pid_ = 0;
  char target_[PATH_MAX];
  char rel_[64];
};

void PidScanner::scan(pid_t pid, std::vector<Holding>& out) {
  pid_ = pid;
  UniqueFd fds(::openat(s_.proc, rel("fd"), O_RDONLY | O_DIRECTORY | O_CLOEXEC));
  if (!fds.valid()) return;  // gone, or another user's
  const std::size_t first = out.size();
  for (std::size_t w : touched_) seen_[w] = 0;
  touched_.clear();
  for_each_name(fds.get(), [&](const char* fd) {
    std::string_view t = link_at(fds.get(), fd, target_, sizeof target_);
    std::string_view tool_dir, entry;
    if (parse_lease(t, s_.store, tool_dir, entry)) {
      if (!s_.only_dir.empty() && tool_dir != s_.only_dir) return;
      BuildRef b{tool_of_dir(tool_dir), std::string(entry)};
      if (!has_row(out, first, b)) out.push_back(Holding{pid, std::move(b), "lease", {}});
      if (!s_.watched.empty())
        mark(s_.find_key(t.substr(s_.store.size() + 1, tool_dir.size() + 1 + entry.size())), kLeaseRow);
      return;
    }
    mark(s_.find_under(t), kFd);
  });

  // The safety net (DESIGN.md §7 step 3) for the watched builds this process holds no lease on.
  if (!seen_.empty()) {
    mark(s_.find_under(link("exe")), kExe);
    mark(s_.find_under(link("cwd")), kCwd);
    // The maps only when some watched build is neither leased nor seen yet.
    std::size_t covered = 0;
    for (std::size_t w : touched_) covered += seen_[w] != 0;
    if (covered < seen_.size() && read_at(s_.proc, rel("maps"), text_))
      for_each_mapped_build(text_, s_.store, [&](std::string_view key) {
        std::size_t w = s_.find_key(key);
        if (w != std::string_view::npos && !seen_[w]) mark(w, kMap);
      });
    for (std::size_t w : touched_)
      if (seen_[w] && !(seen_[w] & kLeaseRow)) out.push_back(Holding{pid, s_.watched[w].build, how_of(seen_[w]), {}});
  }
  if (out.size() == first) return;
  auto info = info_at(s_.proc, pid, text_);
  if (!info) {
    out.resize(first);  // exited meanwhile
    return;
  }
  for (std::size_t i = first; i < out.size(); ++i) out[i].process = *info;
}

// Every process but this one, looked at through `scope`.
std::vector<Holding> scan(const ScanScope& scope) {
  std::vector<Holding> out;
  std::vector<pid_t> pids;
  const pid_t self = ::getpid();
  for_each_name(scope.proc, [&](const char* name) {
    if (all_digits(name) && std::strtol(name, nullptr, 10) != self)
      pids.push_back(pid_t(std::strtol(name, nullptr, 10)));
  });
  // The cost is the kernel's, per process (~15 µs for the fds, ~20 µs more for
  // maps): with many processes, share them among up to 4 threads, interleaved
  // so that a run of consecutive holders does not land on one thread.
  const std::size_t threads =
      pids.size() < 256 ? 1 : std::clamp<std::size_t>(std::thread::hardware_concurrency(), 1, 4);
  std::vector<std::vector<Holding>> found(threads);
  auto work = [&](std::size_t t) {
    PidScanner scanner(scope);
    for (std::size_t i = t; i < pids.size(); i += threads) scanner.scan(pids[i], found[t]);
  };
  std::vector<std::thread> helpers;
  for (std::size_t t = 1; t < threads; ++t) {
    try {
      helpers.emplace_back(work, t);
    } catch (const std::system_error&) {  // no thread to be had (RLIMIT_NPROC): do its share here
      work(t);
    }
  }
  work(0);
  for (auto& h : helpers) h.join();
  for (auto& f : found) std::move(f.begin(), f.end(), std::back_inserter(out));
  return out;
}

std::string parent_of(const std::string& path) {
  std::size_t slash = path.rfind('/');
  return slash == std::string::npos ? std::string(".") : path.substr(0, slash);
}

std::string base_of(const std::string& path) { return path.substr(path.rfind('/') + 1); }

// The watched build at `entry_path` (store/<tool dir>/<entry>), for the reaper's questions.
std::vector<Holding> scan_one_build(const std::string& entry_path) {
  char resolved[PATH_MAX];
  const std::string tool_dir = parent_of(entry_path);
  // /proc shows resolved paths, and the data dir may be reached through a symlink.
  if (!::realpath(parent_of(tool_dir).c_str(), resolved)) return {};
  UniqueFd proc(::open("/proc", O_RDONLY | O_DIRECTORY | O_CLOEXEC));
  if (!proc.valid()) return {};
  ScanScope scope;
  scope.proc = proc.get();
  scope.store = resolved;
  scope.only_dir = base_of(tool_dir);
  BuildRef build{tool_of_dir(scope.only_dir), base_of(entry_path)};
  scope.watched.push_back(Watched{build, scope.only_dir + "/" + build.entry});
  scope.index_watched();
  std::vector<Holding> out = scan(scope);
  std::erase_if(out, [&](const Holding& h) { return !(h.build == build); });
  return out;
}

// /proc/locks names each lock's file as "MAJOR:MINOR:INODE" (hex, hex, decimal).
bool inode_locked(dev_t dev, ino_t ino) {
  std::string locks;
  if (resolver::read_file("/proc/locks", locks) != 0) return false;
  char want[64];
  std::snprintf(want, sizeof want, " %02x:%02x:%llu ", major(dev), minor(dev), (unsigned long long)ino);
  for (std::size_t pos = 0; pos < locks.size();) {
    std::size_t end = locks.find('\n', pos);
    std::string_view line(locks.data() + pos, (end == std::string::npos ? locks.size() : end) - pos);
    pos = end == std::string::npos ? locks.size() : end + 1;
    if (line.find("->") == std::string_view::npos && line.find(want) != std::string_view::npos) return true;
  }
  return false;
}

}  // namespace

std::vector<Holding> scan_holdings(const resolver::StoreLayout& layout, const std::string& only_tool,
                                   const std::vector<BuildRef>& watched) {
  // /proc shows resolved paths, and the data dir may be reached through a symlink.
  char resolved[PATH_MAX];
  if (!::realpath((layout.data + "/store").c_str(), resolved)) return {};
  UniqueFd proc(::open("/proc", O_RDONLY | O_DIRECTORY | O_CLOEXEC));
  if (!proc.valid()) return {};
  ScanScope scope;
  scope.proc = proc.get();
  scope.store = resolved;
  scope.only_dir = resolver::tool_dir_name(only_tool);
  for (const auto& b : watched)
    if (only_tool.empty() || b.tool == only_tool)
      scope.watched.push_back(Watched{b, resolver::tool_dir_name(b.tool) + "/" + b.entry});
  scope.index_watched();
  return scan(scope);
}

std::vector<ProcessUse> processes_using(const std::string& entry_path) {
  std::vector<ProcessUse> out;
  for (const auto& h : scan_one_build(entry_path)) out.push_back(ProcessUse{h.pid, h.how});
  return out;
}

std::vector<pid_t> lease_holders(const std::string& lease_file) {
  std::vector<pid_t> out;
  if (!lease_file.ends_with(kLeaseSuffix)) return out;
  for (const auto& h : scan_one_build(lease_file.substr(0, lease_file.size() - kLeaseSuffix.size())))
    if (h.how == "lease") out.push_back(h.pid);
  return out;
}

bool lease_locked(const std::string& entry_path) {
  struct stat st {};
  if (::stat(resolver::lease_path(entry_path).c_str(), &st) != 0) return false;
  return inode_locked(st.st_dev, st.st_ino);
}

std::string describe_uses(const std::vector<ProcessUse>& uses) {
  std::string out;
  for (const auto& u : uses) out += (out.empty() ? "" : ", ") + std::to_string(u.pid) + " (" + u.how + ")";
  return out;
}

std::string unseen_holder(const std::string& entry_path) {
  return "a process rtx cannot see (another user's): 'fuser " + resolver::lease_path(entry_path) +
         "', run as that user or root, names it";
}

std::string describe_holders(const std::vector<ProcessUse>& uses, const std::string& entry_path) {
  return uses.empty() ? unseen_holder(entry_path) : describe_uses(uses);
}

std::optional<ProcessInfo> process_info(pid_t pid) {
  UniqueFd proc(::open("/proc", O_RDONLY | O_DIRECTORY | O_CLOEXEC));
  std::string buffer;
  return proc.valid() ? info_at(proc.get(), pid, buffer) : std::nullopt;
}

}  // namespace rtx::store
