// rtx mirror export DIR [--from-lock] (issue 10 item 5): the command side of
// manager/mirror/export.hpp. It checks DIR before anything is fetched, lists
// what to export (the READY builds here, or every entry of the locks beside
// the project's configs), and says what was written and how to serve it.
#include <fmt/format.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <map>
#include <set>

#include "manager/cli/commands.hpp"
#include "manager/cli/lock_session.hpp"
#include "manager/lock/lockfile.hpp"
#include "manager/mirror/export.hpp"
#include "manager/net/checksum.hpp"
#include "manager/store/entries.hpp"
#include "manager/util/fs.hpp"

namespace rtx::cli {
namespace {

std::string mirror_mode_text(mode_t mode) { return fmt::format("{:04o}", unsigned(mode & 07777)); }

// DIR is a folder rtx may write into, or can be made one; so are the layout
// folders already in it. Root passes access(W_OK) on anything: the mode bits
// are the user's word (as for config files, config/atomic_replace.cpp).
Status check_export_dir(const std::string& dir) {
  std::string probe = dir;
  struct stat st {};
  while (::stat(probe.c_str(), &st) != 0) {
    if (errno != ENOENT) return make_error("cannot export into " + dir + ": " + probe + ": " + util::errno_text());
    if (probe == "/") break;
    probe = util::parent_dir(probe);
  }
  if (!S_ISDIR(st.st_mode))
    return make_error("cannot export into " + dir + ": " + probe +
                      " is a file, not a folder: give a folder (it is created when missing)");
  std::vector<std::string> folders{probe};
  if (probe == dir)
    for (const char* layout : {"node", "go", "python", "rust", "npm"})
      if (struct stat sub{}; ::stat((dir + "/" + layout).c_str(), &sub) == 0) {
        if (!S_ISDIR(sub.st_mode))
          return make_error("cannot export into " + dir + ": " + dir + "/" + layout +
                            " is a file, not a folder: move it away or export into another folder");
        folders.push_back(dir + "/" + layout);
      }
  for (const auto& f : folders) {
    struct stat fs {};
    if (::stat(f.c_str(), &fs) != 0 || (fs.st_mode & 0222) == 0 || ::access(f.c_str(), W_OK | X_OK) != 0)
      return make_error("cannot export into " + dir + ": " + f + " is not writable (mode " +
                        mirror_mode_text(fs.st_mode) + "): make it writable (chmod u+w " + f +
                        ") or export into another folder");
  }
  return ok_status();
}

mirror::Wanted wanted_of(mirror::Layout layout, const std::string& tool, const std::string& backend,
                         const std::string& version) {
  mirror::Wanted w;
  w.layout = layout;
  w.tool = tool;
  if (layout == mirror::Layout::npm) w.package = backend.substr(4);
  w.version = version;
  return w;
}

// Every READY build here; `skipped`: the tools no layout serves (asdf plugins).
std::vector<mirror::Wanted> installed_builds(const Context& ctx, std::vector<std::string>& skipped) {
  std::vector<mirror::Wanted> out;
  for (const auto& tool : store::list_tools(ctx.layout)) {
    std::map<std::string, std::string> ready;  // version -> build (the one its pointer names, if READY)
    for (const auto& e : store::list_entries(ctx.layout, tool))
      if (e.state == store::EntryState::Ready &&
          (!ready.count(e.version) || resolver::pointer_entry(ctx.layout, tool, e.version) == e.name))
        ready[e.version] = e.path;
    if (ready.empty()) continue;
    const std::string backend = lock_backend_name(ctx, tool);
    auto layout = mirror::layout_of(backend);
    for (const auto& [version, path] : ready) {
      if (!layout) {
        skipped.push_back(tool + " " + version + " (" + backend + ")");
        continue;
      }
      out.push_back(wanted_of(*layout, tool, backend, version));
      out.back().entry_path = path;
    }
  }
  return out;
}

// Every entry of the locks beside the project's configs (the global config's
// left out, as `rtx lock` does), each with every platform it records.
Expected<std::vector<mirror::Wanted>> locked_builds(const Context& ctx, std::vector<std::string>& skipped,
                                                    std::vector<std::string>& locks) {
  auto finder = ctx.finder();
  auto all = finder.all();
  if (!all) return Error{all.error()};
  const std::string global_dir = ctx.roots.config + "/";
  std::set<std::string> paths;
  for (const auto& req : *all)
    if (std::string config = config_of(req); !config.empty() && config.rfind(global_dir, 0) != 0)
      paths.insert(lock::lockfile_for_config(config));
  std::vector<mirror::Wanted> out;
  std::map<std::string, std::size_t> seen;  // tool@version -> index in out
  for (const auto& path : paths) {
    auto lock = lock::read_lockfile(path);
    if (!lock) return Error{lock.error()};
    if (lock->path.empty()) continue;  // no lock beside that config
    locks.push_back(path);
    for (const auto& t : lock->tools) {
      auto layout = mirror::layout_of(t.backend);
      if (!layout) {
        skipped.push_back(t.tool + " " + t.version + " (" + t.backend + ")");
        continue;
      }
      auto [at, fresh] = seen.emplace(t.tool + "@" + t.version, out.size());
      if (fresh) {
        out.push_back(wanted_of(*layout, t.tool, t.backend, t.version));
        out.back().from_lock = true;
      }
      mirror::Wanted& w = out[at->second];
      for (const auto& [platform, p] : t.platforms) {
        if (p.url.empty()) continue;  // a checksum alone (mise's older form): nothing to fetch
        bool have = false;
        for (const auto& a : w.locked) have = have || a.platform == platform;
        if (have) continue;
        auto sum = net::parse_checksum(p.checksum);
        if (!sum)
          return make_error(path + ": " + t.tool + " " + t.version + " (" + platform + "): the checksum '" +
                            p.checksum + "' is not one (" + sum.error() + "): fix the lock, or run 'rtx lock' again");
        w.locked.push_back({platform, p.url, *sum, p.size});
      }
    }
  }
  if (locks.empty())
    return make_error("no lock (rtx.lock or mise.lock) beside the configs of " + ctx.cwd +
                      ": run 'rtx lock' first, or export what is installed here (without --from-lock)");
  return out;
}

std::string mirror_mib(std::uint64_t bytes) { return fmt::format("{:.1f} MiB", double(bytes) / (1 << 20)); }

}  // namespace

int cmd_mirror_export(Context& ctx, const std::string& dir_arg, bool from_lock) {
  const std::string dir = util::absolute(dir_arg, ctx.cwd);
  if (auto st = check_export_dir(dir); !st) return fail(st.error());
  std::vector<std::string> skipped, locks;
  std::vector<mirror::Wanted> wanted;
  if (from_lock) {
    auto locked = locked_builds(ctx, skipped, locks);
    if (!locked) return fail(locked.error());
    wanted = std::move(*locked);
  } else {
    wanted = installed_builds(ctx, skipped);
  }
  if (wanted.empty())
    return fail(std::string("nothing to export: ") +
                (from_lock ? "the lock names no node, go, python, rust or npm package ('rtx lock' writes one)"
                           : "no node, go, python, rust or npm package is installed ('rtx install' first, or "
                             "--from-lock)"));
  auto done = mirror::export_mirror({dir, ctx.backend_env(), lock::current_platform()}, wanted);
  if (!done) return fail(done.error());
  for (const auto& line : done->exported) note("exported " + line);
  for (const auto& line : done->notes) util::log_warn(line);
  for (const auto& line : skipped)
    note("not exported: " + line + ": a mirror serves node, go, python, rust and npm packages only");
  const auto& c = done->counts;
  note(
      fmt::format("mirror {}: {} artifacts, {} ({} new: {} hard-linked from the download cache, {} copied), {} "
                  "documents written",
                  dir, c.artifacts + c.unchanged, mirror_mib(c.all_bytes), c.artifacts, c.linked,
                  c.artifacts - c.linked, c.documents));
  std::set<mirror::Layout> layouts;
  for (const auto& w : wanted) layouts.insert(w.layout);
  std::string how;
  for (mirror::Layout l : layouts) {
    const mirror::Upstream& up = mirror::upstream_of(l);
    how += std::string(" ") + up.variable + "=<base>/" + up.folder + (l == mirror::Layout::npm ? "/" : "");
  }
  note("serve " + dir + " with any static web server at <base> and set" + how);
  return kExitOk;
}

}  // namespace rtx::cli
