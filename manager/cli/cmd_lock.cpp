// rtx lock [TOOL…] [--platform P,…]: writes the lock beside each config that
// asks for tools (DESIGN.md §11): per spec the exact version (the one a lock
// already names, else the installed one the spec resolves to, else the newest
// remote match) and, per platform, the artifact's upstream URL and checksum.
// The global config's tools are left out (as mise's `lock` without -g): a
// project's lock is what its team commits.
#include <algorithm>
#include <map>
#include <set>

#include "manager/backends/plugins.hpp"
#include "manager/cli/commands.hpp"
#include "manager/cli/lock_session.hpp"

namespace rtx::cli {
namespace {

Expected<std::vector<std::string>> parse_platforms(const std::vector<std::string>& given) {
  std::vector<std::string> out;
  for (const auto& item : given) {
    std::size_t start = 0;
    while (start <= item.size()) {
      std::size_t comma = item.find(',', start);
      std::string name = item.substr(start, comma == std::string::npos ? std::string::npos : comma - start);
      if (!name.empty()) {
        auto p = lock::normalize_platform(name);
        if (!p) return Error{"--platform: " + p.error()};
        if (std::find(out.begin(), out.end(), *p) == out.end()) out.push_back(*p);
      }
      if (comma == std::string::npos) break;
      start = comma + 1;
    }
  }
  return out;
}

// The version `spec` of `req` is locked to: what the lock says, else what is
// installed for it, else the newest remote match.
Expected<std::string> version_to_lock(const Context& ctx, const resolver::Request& req,
                                      const resolver::VersionSpec& spec, const lock::LockedTool* existing) {
  if (existing) return existing->version;
  if (auto m = installed_match(ctx, resolver::Request{req.tool, {spec}, req.source, req.line})) return m->version;
  auto backend = backends::backend_for(ctx.backend_env(), req.tool);
  if (!backend) return Error{backend.error()};
  return pick_remote_version(**backend, req.tool, spec);
}

}  // namespace

int cmd_lock(Context& ctx, const std::vector<std::string>& tools, const std::vector<std::string>& platform_args) {
  auto platforms = parse_platforms(platform_args);
  if (!platforms) return fail(platforms.error(), 2);
  auto finder = ctx.finder();
  auto all = finder.all();
  if (!all) return fail(all.error());
  const std::string global_dir = ctx.roots.config + "/";
  std::vector<resolver::Request> requests;
  for (auto& req : *all) {
    std::string config = config_of(req);
    if (config.empty() || config.rfind(global_dir, 0) == 0) continue;
    if (!tools.empty() && std::find(tools.begin(), tools.end(), req.tool) == tools.end()) continue;
    requests.push_back(std::move(req));
  }
  for (const auto& t : tools)
    if (std::none_of(requests.begin(), requests.end(), [&](const resolver::Request& r) { return r.tool == t; }))
      return fail("no config here asks for " + t + ": add it with 'rtx use " + t + "@VERSION' first");
  if (requests.empty())
    return fail("no config file in " + ctx.cwd + " or above asks for a tool: nothing to lock ('rtx use TOOL@VERSION')");

  // lock path -> tool -> entries
  std::map<std::string, std::map<std::string, std::vector<lock::LockedTool>>> planned;
  std::map<std::string, std::set<std::string>> asked;  // lock path -> tools its configs ask for
  for (const auto& req : requests) {
    const std::string path = lock::lockfile_for_config(config_of(req));
    auto lock = lock::read_lockfile(path);
    if (!lock) return fail(lock.error());
    asked[path].insert(req.tool);
    std::vector<lock::LockedTool> existing;
    for (const auto& e : lock->tools)
      if (e.tool == req.tool) existing.push_back(e);
    const std::vector<std::string> for_platforms = platforms_to_lock(*platforms, existing);
    auto backend = backends::backend_for(ctx.backend_env(), req.tool);
    if (!backend) return fail(backend.error());
    for (const auto& spec : req.specs) {
      if (spec.kind == resolver::SpecKind::System) continue;
      const lock::LockedTool* old = lock::find_locked(*lock, req.tool, {spec.text});
      auto version = version_to_lock(ctx, req, spec, old);
      if (!version) return fail(version.error());
      lock::LockedTool entry;
      entry.tool = req.tool;
      entry.version = *version;
      entry.backend = lock_backend_name(ctx, req.tool);
      entry.specifiers = {spec.text};
      if (old && platform_args.empty() && old->backend == entry.backend) entry.platforms = old->platforms;
      auto artifacts = (*backend)->lock_artifacts(*version, for_platforms);
      if (!artifacts) return fail("cannot lock " + req.tool + " " + *version + ": " + artifacts.error());
      for (const auto& a : *artifacts)
        entry.platforms[a.platform] = lock::LockedPlatform{a.url, a.checksum.to_string(), a.size};
      std::string where;
      for (const auto& [p, artifact] : entry.platforms) where += (where.empty() ? "" : ", ") + p;
      note("locked " + req.tool + " " + *version + " ('" + spec.text + "')" +
           (where.empty() ? " (version only: its plugin publishes no artifacts)" : " for " + where) + " in " + path);
      planned[path][req.tool].push_back(std::move(entry));
    }
  }
  for (const auto& [path, by_tool] : planned) {
    std::vector<lock::LockedTool> entries;
    for (const auto& [tool, list] : by_tool) entries.insert(entries.end(), list.begin(), list.end());
    std::vector<std::string> stale;
    if (tools.empty()) {  // a full lock drops the tools no config asks for any more
      auto lock = lock::read_lockfile(path);
      if (!lock) return fail(lock.error());
      for (const auto& e : lock->tools)
        if (!asked[path].count(e.tool) && std::find(stale.begin(), stale.end(), e.tool) == stale.end())
          stale.push_back(e.tool);
    }
    for (const auto& t : stale) note("dropped " + t + " from " + path + ": no config asks for it");
    if (auto st = lock::update_lockfile(path, entries, stale); !st) return fail(st.error());
  }
  return kExitOk;
}

}  // namespace rtx::cli
