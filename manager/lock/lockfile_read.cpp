// Reading rtx.lock / mise.lock. The file is outside input (a repository's,
// anyone may have edited it): every value is checked (lock_fields.hpp) and
// the first problem is one line "path:line: what: how to fix".
#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <cstring>
#include <tuple>

#include "manager/lock/lock_fields.hpp"
#include "manager/lock/lockfile.hpp"
#include "resolver/config_file.hpp"
#include "resolver/printable.hpp"
#include "resolver/toml.hpp"
#include "resolver/toml_guard.hpp"
#include "resolver/unique_fd.hpp"
#include "resolver/version.hpp"
#include "resolver/version_spec.hpp"

namespace rtx::lock {
namespace {

constexpr std::int64_t kNewestLockfileVersion = 3;
constexpr const char* kRelock = "fix it, or delete the entry and run rtx lock";

std::string lockread_at(const std::string& path, const toml::node& node) {
  return path + ":" + std::to_string(node.source().begin.line) + ": ";
}

std::string lockread_quoted(std::string_view text) { return "'" + resolver::printable(text, 120) + "'"; }

// One entry on its way into the Lockfile, with where it was for ordering.
struct LockRead {
  LockedTool tool;
  std::uint32_t line = 0, column = 0;
  const toml::node* node = nullptr;
};

class LockParser {
 public:
  LockParser(const std::string& path, Lockfile& out) : path_(path), out_(out) {}

  Status tool(std::string_view name, const toml::node& value) {
    std::string tool(name);
    if (resolver::has_control_chars(tool))
      return make_error(lockread_at(path_, value) + "the tool name " + lockread_quoted(tool) +
                        " holds a control character: " + kRelock);
    if (auto st = resolver::validate_tool_name(tool); !st) return make_error(lockread_at(path_, value) + st.error());
    if (const auto* arr = value.as_array()) {
      for (const auto& item : *arr)
        if (auto st = entry(tool, item); !st) return st;
      return ok_status();
    }
    return entry(tool, value);
  }

  std::vector<LockRead>& read() { return read_; }

 private:
  // A table, or (mise's oldest form) a bare version string.
  Status entry(const std::string& tool, const toml::node& node) {
    LockRead r{LockedTool{tool, {}, {}, {}, {}}, node.source().begin.line, node.source().begin.column, &node};
    if (const auto* s = node.as_string()) {
      if (auto st = version(r.tool, node, s->get()); !st) return st;
      read_.push_back(std::move(r));
      return ok_status();
    }
    const auto* t = node.as_table();
    if (!t)
      return make_error(lockread_at(path_, node) + "the entry of " + lockread_quoted(tool) +
                        " is neither a table nor a version string: " + kRelock);
    if (const auto* env = t->get("env")) {
      // mise's MISE_ENV-specific entries: rtx has no config environments.
      out_.notes.push_back(lockread_at(path_, *env) + "an entry of " + lockread_quoted(tool) +
                           " for mise environments (env) is not one rtx uses: ignored (kept in the file)");
      return ok_status();
    }
    const toml::node* v = t->get("version");
    if (!v)
      return make_error(lockread_at(path_, node) + "the entry of " + lockread_quoted(tool) +
                        " has no version: " + kRelock);
    if (!v->is_string())
      return make_error(lockread_at(path_, *v) + "the version of " + lockread_quoted(tool) +
                        " is not a string: " + kRelock);
    if (auto st = version(r.tool, *v, v->as_string()->get()); !st) return st;
    if (const auto* b = t->get("backend")) {
      if (!b->is_string())
        return make_error(lockread_at(path_, *b) + "the backend of " + lockread_quoted(tool) +
                          " is not a string: " + kRelock);
      r.tool.backend = b->as_string()->get();
      if (auto st = check_backend(r.tool.backend); !st) return make_error(lockread_at(path_, *b) + st.error());
    }
    if (const auto* specs = t->get("specifiers")) {
      const auto* arr = specs->as_array();
      if (!arr)
        return make_error(lockread_at(path_, *specs) + "the specifiers of " + lockread_quoted(tool) +
                          " are not a list of strings: " + kRelock);
      for (const auto& s : *arr) {
        if (!s.is_string())
          return make_error(lockread_at(path_, s) + "a specifier of " + lockread_quoted(tool) +
                            " is not a string: " + kRelock);
        if (auto st = check_specifier(s.as_string()->get()); !st) return make_error(lockread_at(path_, s) + st.error());
        r.tool.specifiers.push_back(s.as_string()->get());
      }
    }
    for (const auto& [key, value] : *t) {
      std::string_view k = key.str();
      if (k == "platforms") {
        const auto* table = value.as_table();
        if (!table)
          return make_error(lockread_at(path_, value) + "the platforms of " + lockread_quoted(tool) +
                            " are not a table: " + kRelock);
        for (const auto& [name, info] : *table)
          if (auto st = platform(r.tool, name.str(), info); !st) return st;
      } else if (k.substr(0, 10) == "platforms.") {
        if (auto st = platform(r.tool, k.substr(10), value); !st) return st;
      }
      // Other keys (mise's options, checksums, …): not rtx's; kept in the file.
    }
    read_.push_back(std::move(r));
    return ok_status();
  }

  Status version(LockedTool& t, const toml::node& node, const std::string& text) {
    if (resolver::has_control_chars(text))
      return make_error(lockread_at(path_, node) + "the version of " + lockread_quoted(t.tool) +
                        " holds a control character: " + kRelock);
    if (auto st = resolver::validate_version(text); !st) return make_error(lockread_at(path_, node) + st.error());
    t.version = text;
    return ok_status();
  }

  // A table (checksum, url, size), or mise's older bare checksum string or size.
  Status platform(LockedTool& t, std::string_view raw_name, const toml::node& node) {
    auto name = normalize_platform(raw_name);
    if (!name) {
      out_.notes.push_back(lockread_at(path_, node) + "platform " + lockread_quoted(raw_name) + " of " +
                           lockread_quoted(t.tool) + " is not one rtx installs: ignored (kept in the file)");
      return ok_status();
    }
    if (t.platforms.count(*name))
      return make_error(lockread_at(path_, node) + lockread_quoted(t.tool) + " " + t.version + " lists platform " +
                        *name + " twice (darwin-* is another name for macos-*): keep one");
    LockedPlatform info;
    const toml::node* checksum = nullptr;
    const toml::node* size = nullptr;
    if (const auto* table = node.as_table()) {
      checksum = table->get("checksum");
      size = table->get("size");
      if (const auto* url = table->get("url")) {
        if (!url->is_string())
          return make_error(lockread_at(path_, *url) + "the url of " + lockread_quoted(t.tool) + " (" + *name +
                            ") is not a string: " + kRelock);
        info.url = url->as_string()->get();
        if (auto st = check_url(info.url); !st) return make_error(lockread_at(path_, *url) + st.error());
      }
    } else if (node.is_string()) {
      checksum = &node;
    } else if (node.is_integer()) {
      size = &node;
    } else {
      return make_error(lockread_at(path_, node) + "platform " + *name + " of " + lockread_quoted(t.tool) +
                        " is not a table: " + kRelock);
    }
    if (checksum) {
      if (!checksum->is_string())
        return make_error(lockread_at(path_, *checksum) + "the checksum of " + lockread_quoted(t.tool) + " (" + *name +
                          ") is not a string: " + kRelock);
      info.checksum = checksum->as_string()->get();
      auto use = check_checksum(info.checksum);
      if (!use) return make_error(lockread_at(path_, *checksum) + use.error());
      if (*use == ChecksumUse::Unsupported) {
        out_.notes.push_back(lockread_at(path_, *checksum) + "the checksum of " + lockread_quoted(t.tool) + " (" +
                             *name + ") is of a kind rtx does not verify: platform ignored (kept in the file)");
        return ok_status();
      }
    }
    if (size) {
      const auto* n = size->as_integer();
      if (!n || n->get() < 0)
        return make_error(lockread_at(path_, *size) + "the size of " + lockread_quoted(t.tool) + " (" + *name +
                          ") is not a byte count: " + kRelock);
      info.size = std::uint64_t(n->get());
    }
    t.platforms.emplace(*name, std::move(info));
    return ok_status();
  }

  const std::string& path_;
  Lockfile& out_;
  std::vector<LockRead> read_;
};

}  // namespace

Expected<Lockfile> parse_lockfile(const std::string& path, std::string_view text) {
  if (text.size() > kMaxLockfileBytes)
    return make_error(path + ": larger than 4 MiB, too large for a lockfile: delete it and run rtx lock");
  if (std::string bad = resolver::toml_text_problem(text, path); !bad.empty()) return make_error(bad);
  toml::parse_result parsed = toml::parse(text, path);
  if (!parsed) {
    const auto& err = parsed.error();
    return make_error(path + ":" + std::to_string(err.source().begin.line) + ": invalid TOML: " +
                      resolver::printable(err.description(), 300) + ": fix it, or delete it and run rtx lock");
  }
  const toml::table& root = parsed.table();
  Lockfile lock;
  if (const auto* v = root.get("lockfile_version")) {
    const auto* n = v->as_integer();
    if (!n || n->get() < 1)
      return make_error(lockread_at(path, *v) +
                        "lockfile_version is not a positive integer: " + "fix it, or delete it and run rtx lock");
    if (n->get() > kNewestLockfileVersion)
      return make_error(lockread_at(path, *v) + "lockfile_version " + std::to_string(n->get()) +
                        " is newer than rtx reads (3): upgrade rtx, or delete it and run rtx lock");
  }
  const toml::node* tools_node = root.get("tools");
  if (!tools_node) return lock;
  const auto* tools = tools_node->as_table();
  if (!tools)
    return make_error(lockread_at(path, *tools_node) + "'tools' is not a table: fix it, or delete it and run rtx lock");

  LockParser parser(path, lock);
  for (const auto& [name, value] : *tools)
    if (auto st = parser.tool(name.str(), value); !st) return Error{st.error()};

  // toml++ keeps keys sorted; the file's order is the order of its lines.
  auto& read = parser.read();
  std::stable_sort(read.begin(), read.end(), [](const LockRead& a, const LockRead& b) {
    return std::tie(a.line, a.column) < std::tie(b.line, b.column);
  });
  for (std::size_t i = 0; i < read.size(); ++i) {
    const LockedTool& t = read[i].tool;
    for (std::size_t j = 0; j < i && !t.specifiers.empty(); ++j)
      if (read[j].tool.tool == t.tool && read[j].tool.specifiers == t.specifiers)
        return make_error(lockread_at(path, *read[i].node) + "a second entry of " + lockread_quoted(t.tool) +
                          " for the same request (line " + std::to_string(read[j].line) +
                          " is the first): delete one, or run rtx lock");
    lock.tools.push_back(t);
  }
  return lock;
}

Expected<Lockfile> read_lockfile(const std::string& path) {
  UniqueFd fd(::open(path.c_str(), O_RDONLY | O_NONBLOCK | O_CLOEXEC));
  if (!fd.valid()) {
    if (errno == ENOENT || errno == ENOTDIR) return Lockfile{};
    return make_error(path + ": cannot read the lockfile: " + std::strerror(errno) + ": check its permissions");
  }
  struct stat st;
  if (::fstat(fd.get(), &st) != 0)
    return make_error(path + ": cannot read the lockfile: " + std::strerror(errno) + ": check its permissions");
  if (!S_ISREG(st.st_mode))
    return make_error(path +
                      ": the lockfile is not a regular file: replace it with one, or delete it and run rtx lock");
  if (std::uint64_t(st.st_size) > kMaxLockfileBytes)
    return make_error(path + ": larger than 4 MiB, too large for a lockfile: delete it and run rtx lock");
  std::string text(std::size_t(st.st_size) + 1, '\0');  // one more: a file that grew since fstat is seen
  std::size_t got = 0;
  for (;;) {
    if (got == text.size()) {
      if (text.size() > kMaxLockfileBytes)
        return make_error(path + ": larger than 4 MiB, too large for a lockfile: delete it and run rtx lock");
      text.resize(std::min(text.size() * 2, kMaxLockfileBytes + 1));
    }
    ssize_t n = ::read(fd.get(), text.data() + got, text.size() - got);
    if (n < 0 && errno == EINTR) continue;
    if (n < 0)
      return make_error(path + ": cannot read the lockfile: " + std::strerror(errno) + ": check its permissions");
    if (n == 0) break;
    got += std::size_t(n);
  }
  text.resize(got);
  auto lock = parse_lockfile(path, text);
  if (lock) lock->path = path;
  return lock;
}

const LockedTool* find_locked(const Lockfile& lock, std::string_view tool, const std::vector<std::string>& specifiers) {
  for (const auto& t : lock.tools)
    if (t.tool == tool && t.specifiers == specifiers) return &t;
  if (specifiers.empty()) return nullptr;
  auto spec = resolver::parse_spec(specifiers.front());
  if (!spec) return nullptr;
  for (const auto& t : lock.tools)
    if (t.tool == tool && t.specifiers.empty() && resolver::spec_matches(*spec, t.version)) return &t;
  return nullptr;
}

}  // namespace rtx::lock
