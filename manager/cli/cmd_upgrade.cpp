// rtx upgrade: for each fuzzy request in scope, the newest matching remote
// version side by side (DESIGN.md §7); the superseded build is retired in the
// same commit unless a tracked config still resolves to it.
#include <fmt/core.h>

#include "manager/backends/plugins.hpp"
#include "manager/cli/commands.hpp"
#include "manager/config/settings.hpp"
#include "manager/config/tracked_configs.hpp"
#include "manager/store/entries.hpp"
#include "manager/store/garbage.hpp"
#include "manager/store/install_transaction.hpp"
#include "manager/store/succession_log.hpp"
#include "manager/util/fs.hpp"
#include "manager/util/process_runner.hpp"
#include "resolver/build_meta.hpp"
#include "resolver/file_io.hpp"
#include "resolver/version.hpp"

namespace rtx::cli {
namespace {

// Does `spec` select `version`, by its number or by an alias its build carries
// ("lts" for node)?
bool selects(const resolver::VersionSpec& spec, const std::string& version, const std::vector<std::string>& aliases) {
  if (resolver::spec_matches(spec, version)) return true;
  return spec.kind == resolver::SpecKind::Version &&
         std::find(aliases.begin(), aliases.end(), spec.text) != aliases.end();
}

// Will any tracked config (or one this command read) still resolve `tool` to
// `old` once `fresh` (the new build's entry) is installed? Decided before the
// commit's pointer flip, so a crash cannot split the decision from the flip.
bool still_needed(const Context& ctx, const std::string& tool, const std::string& old, const std::string& fresh) {
  auto paths = config::tracked_configs(ctx.roots.state);
  paths.insert(paths.end(), ctx.configs_read->begin(), ctx.configs_read->end());
  const std::string old_version = store::version_of_entry(old);
  const std::string new_version = store::version_of_entry(fresh);
  const auto old_aliases = resolver::load_build_meta(ctx.layout.entry_path(tool, old)).aliases;
  const auto new_aliases = resolver::load_build_meta(ctx.layout.entry_path(tool, fresh)).aliases;
  for (const auto& path : paths) {
    std::string text;
    if (resolver::read_file(path, text) != 0) continue;
    auto file = resolver::parse_config(path, text, resolver::format_of(path));
    if (!file) continue;
    const resolver::ToolEntry* e = file->find(tool);
    if (!e) continue;
    resolver::Request req{tool, {}, path, e->line};
    for (const auto& s : e->specs)
      if (auto spec = resolver::parse_spec(s)) req.specs.push_back(*spec);
    // Called under the tool lock: resolve without locks (no shared tool lock here).
    std::string now;
    for (const auto& c : resolver::list_candidates(ctx.layout, req)) {
      if (c.entry.empty()) break;  // system
      if (resolver::read_state(ctx.layout.entry_path(tool, c.entry)) != resolver::EntryState::Ready) continue;
      now = c.entry;
      break;
    }
    if (now != old) continue;  // resolves elsewhere today; a new version cannot make it `old`
    // It resolves to `old` today: the new version takes over only where a spec
    // up to the one selecting `old` also selects it, and ranks higher.
    bool taken_over = false;
    for (const auto& spec : req.specs) {
      bool new_matches = selects(spec, new_version, new_aliases);
      if (selects(spec, old_version, old_aliases)) {
        taken_over = new_matches && resolver::compare_versions(new_version, old_version) > 0;
        break;
      }
      if (new_matches) {
        taken_over = true;
        break;
      }
    }
    if (!taken_over) return true;
  }
  return false;
}

// The remote version `spec` would upgrade to, held-back versions excluded.
Expected<std::string> upgrade_target(backends::Backend& backend, const resolver::VersionSpec& spec,
                                     const std::vector<std::string>& held) {
  auto versions = backend.list_remote();
  if (!versions) return Error{versions.error()};
  std::vector<std::string> allowed;
  for (const auto& v : *versions)
    if (std::find(held.begin(), held.end(), v) == held.end()) allowed.push_back(v);
  if (spec.kind == resolver::SpecKind::Latest) {
    auto latest = backend.latest_stable("");
    if (latest && !latest->empty() && std::find(held.begin(), held.end(), *latest) == held.end()) return *latest;
  }
  auto ranked = resolver::ranked_matches(spec, allowed);
  if (ranked.empty() && spec.kind == resolver::SpecKind::Version) {  // a backend's own name, like node's "lts"
    auto alias = backend.latest_stable(spec.text);
    if (alias && !alias->empty() && std::find(allowed.begin(), allowed.end(), *alias) != allowed.end()) return *alias;
  }
  if (ranked.empty()) return std::string();
  return allowed[ranked.front()];
}

}  // namespace

int cmd_upgrade(Context& ctx, const std::vector<std::string>& tools, bool dry_run, bool force) {
  auto settings = config::load_settings(ctx.roots.config);
  if (!settings) return fail(settings.error());
  auto finder = ctx.finder();
  std::vector<resolver::Request> requests;
  if (tools.empty()) {
    auto all = finder.all();
    if (!all) return fail(all.error());
    requests = std::move(*all);
  } else {
    for (const auto& tool : tools) {
      auto r = finder.find(tool);
      if (!r) return fail(r.error());
      if (r->tool.empty())
        return fail("no version of " + tool + " is configured for " + ctx.cwd + ": 'rtx use " + tool +
                    "@latest' first, or name a configured tool");
      requests.push_back(std::move(*r));
    }
  }

  int status = kExitOk;
  std::vector<std::string> touched;
  for (const auto& req : requests) {
    store::SuccessionLog log(ctx.roots.state, req.tool);
    if (force && !dry_run) log.clear_held_back();
    std::vector<std::string> held = force ? std::vector<std::string>{} : log.held_back();
    for (const auto& spec : req.specs) {
      if (spec.kind == resolver::SpecKind::System) continue;
      auto backend = backends::backend_for(ctx.backend_env(), req.tool);
      if (!backend) {
        status = fail(backend.error());
        break;
      }
      auto target = upgrade_target(**backend, spec, held);
      if (!target) {
        status = fail(target.error());
        continue;
      }
      if (target->empty() || (spec.kind == resolver::SpecKind::Version && *target == spec.text)) continue;  // exact
      auto current = installed_match(ctx, resolver::Request{req.tool, {spec}, req.source, req.line});
      if (current && resolver::compare_versions(current->version, *target) >= 0) {
        note(req.tool + " " + spec.text + " is up to date (" + current->version + ")");
        continue;
      }
      std::string from = current ? current->version : std::string("nothing");
      if (dry_run) {
        fmt::print("would upgrade {} {}: {} -> {}\n", req.tool, spec.text, from, *target);
        continue;
      }
      note("upgrading " + req.tool + " " + spec.text + ": " + from + " -> " + *target);
      store::InstallOptions opts;
      opts.shim_binary = ctx.shim_binary;
      opts.download_root = ctx.roots.cache + "/plugin-downloads";
      opts.state_dir = ctx.roots.state;
      opts.supersedes = current ? current->entry : std::string();
      std::string tool = req.tool;
      opts.still_needed = [&ctx, tool](const std::string& old, const std::string& fresh) {
        return still_needed(ctx, tool, old, fresh);
      };
      auto outcome = store::install_version(ctx.layout, **backend, req.tool, *target, opts);
      if (!outcome) {
        status = fail(outcome.error());
        continue;
      }
      bool kept_old = current && outcome->retired_entry.empty();
      note("upgraded " + req.tool + " " + spec.text + " to " + *target +
           (kept_old ? " (" + current->version + " stays READY: a tracked config still resolves to it)" : ""));
      touched.push_back(req.tool);
      if (util::interrupted()) return fail("interrupted", 130);
    }
  }
  if (!touched.empty()) {
    store::GcOptions gc;
    gc.keep_previous = settings->keep_previous;
    gc.waiter_binary = ctx.rtx_binary;
    gc.state_dir = ctx.roots.state;
    for (const auto& item : store::collect_garbage(ctx.layout, touched, gc))
      if (item.status == store::GcStatus::Reaped)
        note("removed " + item.tool + " " + item.entry);
      else if (item.status == store::GcStatus::Busy)
        note("kept " + item.tool + " " + item.entry + " while in use by " + store::describe_uses(item.users) +
             "; it goes within a second of their exit");
  }
  return status;
}

}  // namespace rtx::cli
