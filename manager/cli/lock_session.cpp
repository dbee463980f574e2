#include "manager/cli/lock_session.hpp"

#include <algorithm>
#include <cstdlib>
#include <set>

#include "manager/backends/plugins.hpp"
#include "manager/backends/registry.hpp"
#include "manager/config/settings.hpp"
#include "manager/util/fs.hpp"

namespace rtx::cli {
namespace {

// RTX_LOCKED / RTX_LOCKFILE: 1/true/yes or 0/false/no (empty: unset).
Expected<std::optional<bool>> lock_flag_from_env(const char* name) {
  const char* v = std::getenv(name);
  if (!v || !*v) return std::optional<bool>();
  std::string s(v);
  if (s == "1" || s == "true" || s == "yes") return std::optional<bool>(true);
  if (s == "0" || s == "false" || s == "no") return std::optional<bool>(false);
  return make_error(std::string(name) + "='" + s + "' is not a yes/no value: set it to 1 or 0, or unset it");
}

bool is_core_artifact_backend(const std::string& backend) {
  return backend.rfind("core:", 0) == 0 || backend.rfind("npm:", 0) == 0;
}

std::string describe_specs(const std::vector<lock::LockedTool>& entries) {
  std::string out;
  for (const auto& e : entries) {
    std::string specs;
    for (const auto& s : e.specifiers) specs += (specs.empty() ? "" : ", ") + ("'" + s + "'");
    out += (out.empty() ? "" : "; ") + specs + " -> " + e.version;
  }
  return out;
}

}  // namespace

std::string config_of(const resolver::Request& req) {
  return !req.source.empty() && req.source.front() == '/' ? req.source : std::string();
}

Expected<LockMode> lock_mode(const Context& ctx, bool cli_locked) {
  auto settings = config::load_settings(ctx.roots.config);
  if (!settings) return Error{settings.error()};
  auto locked = lock_flag_from_env("RTX_LOCKED");
  if (!locked) return Error{locked.error()};
  auto create = lock_flag_from_env("RTX_LOCKFILE");
  if (!create) return Error{create.error()};
  LockMode mode;
  mode.locked = cli_locked || locked->value_or(settings->locked);
  mode.create = create->value_or(settings->lockfile);
  return mode;
}

std::string lock_backend_name(const Context& ctx, const std::string& tool) {
  if (util::exists(ctx.layout.plugins_dir() + "/" + tool)) return "asdf:" + tool;
  if (tool.rfind("npm:", 0) == 0) return tool;
  if (auto known = backends::registry_lookup(tool)) {
    switch (known->kind) {
      case backends::RegistryEntry::Kind::Npm:
        return "npm:" + known->target;
      case backends::RegistryEntry::Kind::Core:
        return "core:" + known->target;
      case backends::RegistryEntry::Kind::Asdf:
        return "asdf:" + tool;
    }
  }
  return "core:" + tool;
}

std::vector<std::string> platforms_to_lock(const std::vector<std::string>& wanted,
                                           const std::vector<lock::LockedTool>& existing) {
  std::set<std::string> chosen(wanted.begin(), wanted.end());
  if (chosen.empty())
    for (const auto& e : existing)
      for (const auto& [platform, artifact] : e.platforms) chosen.insert(platform);
  if (chosen.empty()) chosen.insert(lock::kLockPlatforms.begin(), lock::kLockPlatforms.end());
  chosen.insert(lock::current_platform());
  std::vector<std::string> out;  // in kLockPlatforms' order
  for (const auto& p : lock::kLockPlatforms)
    if (chosen.count(p)) out.push_back(p);
  return out;
}

Expected<const lock::Lockfile*> LockSession::lockfile(const std::string& path) {
  auto it = read_.find(path);
  if (it != read_.end()) return &it->second;
  auto read = lock::read_lockfile(path);
  if (!read) return Error{read.error()};
  return &read_.emplace(path, std::move(*read)).first->second;
}

Expected<std::optional<LockedChoice>> LockSession::choose(const resolver::Request& req,
                                                          const resolver::VersionSpec& spec) {
  std::lock_guard<std::mutex> hold(mutex_);
  const std::string config = config_of(req);
  if (config.empty()) {
    if (!mode_.locked) return std::optional<LockedChoice>();
    return make_error("--locked: " + req.tool + " " + spec.text + " comes from " + req.source +
                      ", which no lock covers: put it in a config file and run 'rtx lock', or unset it");
  }
  const std::string path = lock::lockfile_for_config(config);
  auto lock = lockfile(path);
  if (!lock) return Error{lock.error()};
  if ((*lock)->path.empty()) {
    if (!mode_.locked) return std::optional<LockedChoice>();
    return make_error("--locked: there is no " + path + " for " + config + ": run 'rtx lock' in " +
                      util::parent_dir(config) + " and commit the lock");
  }
  const lock::LockedTool* entry = lock::find_locked(**lock, req.tool, {spec.text});
  if (!entry) {
    if (!mode_.locked) return std::optional<LockedChoice>();
    std::vector<lock::LockedTool> others;
    for (const auto& e : (*lock)->tools)
      if (e.tool == req.tool) others.push_back(e);
    return make_error("--locked: " + path + " has no entry for " + req.tool + " '" + spec.text + "' (" + config +
                      (req.line > 0 ? ":" + std::to_string(req.line) : "") + " asks for it" +
                      (others.empty() ? "" : "; the lock has " + describe_specs(others)) +
                      "): run 'rtx lock' to update the lock");
  }
  LockedChoice choice;
  choice.version = entry->version;
  choice.lock_path = path;
  auto artifact = entry->platforms.find(lock::current_platform());
  if (artifact != entry->platforms.end()) {
    choice.url = artifact->second.url;
    choice.checksum = artifact->second.checksum;
  } else if (mode_.locked && is_core_artifact_backend(entry->backend)) {
    return make_error("--locked: " + path + " locks " + req.tool + " " + entry->version + " but has no " +
                      lock::current_platform() + " artifact: run 'rtx lock --platform " + lock::current_platform() +
                      "' and commit the lock");
  }
  return std::optional<LockedChoice>(std::move(choice));
}

void LockSession::record(const resolver::Request& req, const resolver::VersionSpec& spec, const std::string& version) {
  if (mode_.locked || config_of(req).empty() || spec.kind == resolver::SpecKind::System) return;
  std::lock_guard<std::mutex> hold(mutex_);
  recorded_.push_back(Recorded{req, spec.text, version});
}

Status LockSession::flush() {
  std::lock_guard<std::mutex> hold(mutex_);
  // lock path -> tool -> the tool's entries as they will be written
  std::map<std::string, std::map<std::string, std::vector<lock::LockedTool>>> changed;
  std::map<std::string, std::map<std::string, bool>> dirty;
  for (const auto& r : recorded_) {
    const std::string path = lock::lockfile_for_config(config_of(r.request));
    auto lock = lockfile(path);
    if (!lock) return Error{lock.error()};
    if ((*lock)->path.empty() && !mode_.create) continue;  // no lock here, none wanted
    auto& entries = changed[path][r.request.tool];
    if (!dirty[path].count(r.request.tool)) {
      dirty[path][r.request.tool] = false;
      for (const auto& e : (*lock)->tools)
        if (e.tool == r.request.tool) entries.push_back(e);
      // Entries for specs the config no longer asks for go.
      std::size_t before = entries.size();
      std::erase_if(entries, [&](const lock::LockedTool& e) {
        return e.specifiers.size() != 1 ||
               std::none_of(r.request.specs.begin(), r.request.specs.end(),
                            [&](const resolver::VersionSpec& s) { return s.text == e.specifiers.front(); });
      });
      if (entries.size() != before) dirty[path][r.request.tool] = true;
    }
    auto same = std::find_if(entries.begin(), entries.end(), [&](const lock::LockedTool& e) {
      return e.specifiers == std::vector<std::string>{r.spec};
    });
    const std::vector<std::string> platforms = platforms_to_lock({}, entries);
    const std::string backend_name = lock_backend_name(ctx_, r.request.tool);
    bool current = same != entries.end() && same->version == r.version && same->backend == backend_name;
    if (current && is_core_artifact_backend(backend_name))
      for (const auto& p : platforms) current = current && same->platforms.count(p);
    if (current) continue;
    lock::LockedTool entry;
    entry.tool = r.request.tool;
    entry.version = r.version;
    entry.backend = backend_name;
    entry.specifiers = {r.spec};
    auto backend = backends::backend_for(ctx_.backend_env(), r.request.tool);
    if (!backend) return Error{backend.error()};
    auto artifacts = (*backend)->lock_artifacts(r.version, platforms);
    if (!artifacts) return Error{"cannot update " + path + ": " + artifacts.error()};
    for (const auto& a : *artifacts)
      entry.platforms[a.platform] = lock::LockedPlatform{a.url, a.checksum.to_string(), a.size};
    if (same != entries.end())
      *same = std::move(entry);
    else
      entries.push_back(std::move(entry));
    dirty[path][r.request.tool] = true;
    note("locked " + r.request.tool + " " + r.version + " ('" + r.spec + "') in " + path);
  }
  for (const auto& [path, tools] : changed) {
    std::vector<lock::LockedTool> entries;
    std::vector<std::string> removed;
    for (const auto& [tool, list] : tools) {
      if (!dirty[path][tool]) continue;
      if (list.empty()) removed.push_back(tool);
      entries.insert(entries.end(), list.begin(), list.end());
    }
    if (entries.empty() && removed.empty()) continue;
    if (auto st = lock::update_lockfile(path, entries, removed); !st) return st;
  }
  recorded_.clear();
  read_.clear();
  return ok_status();
}

}  // namespace rtx::cli
