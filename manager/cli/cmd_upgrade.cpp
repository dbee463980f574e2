// rtx upgrade: for each fuzzy request in scope, the newest matching remote
// version side by side (DESIGN.md §7). The store decides at commit, under the
// tool lock, what the new build supersedes and whether a tracked config keeps
// that one READY (store::install_version with an UpgradePlan); this command
// chooses the version and prints what the commit reports actually happened.
#include <fmt/core.h>

#include "manager/backends/plugins.hpp"
#include "manager/cli/commands.hpp"
#include "manager/config/settings.hpp"
#include "manager/config/tracked_configs.hpp"
#include "manager/store/entries.hpp"
#include "manager/store/garbage.hpp"
#include "manager/store/install_transaction.hpp"
#include "manager/store/proc_scan.hpp"
#include "manager/store/rollback.hpp"
#include "manager/util/process_runner.hpp"
#include "resolver/version.hpp"

namespace rtx::cli {
namespace {

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

std::string version_of(const std::string& entry) { return store::version_of_entry(entry); }

// One line: what the commit did, as it found the store under the tool lock.
std::string upgrade_report(const std::string& what, const std::string& target, const store::InstallOutcome& o) {
  switch (o.committed) {
    case store::Committed::AlreadyInstalled:
      return what + ": " + target + " was installed meanwhile by another rtx; nothing to do";
    case store::Committed::Overtaken:
      return what + " was upgraded to " + version_of(o.current) + " meanwhile by another rtx; the " + target +
             " build is discarded";
    case store::Committed::HeldBack:
      return "not upgrading " + what + " to " + target + ": a rollback ran meanwhile" +
             (o.current.empty() ? std::string() : " (it resolves to " + version_of(o.current) + ")") + "; " + target +
             " is held back from 'rtx upgrade' (use --force to take it)";
    case store::Committed::Installed:
      break;
  }
  std::string line = "upgraded " + what + " to " + target;
  if (!o.kept_entry.empty())
    line += " (" + version_of(o.kept_entry) + " stays READY: " + o.kept_for + " still resolves to it)";
  else if (!o.retired_entry.empty() && version_of(o.retired_entry) != target)
    line += "; " + version_of(o.retired_entry) + " is retired";
  return line;
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
  auto configs = [&ctx] {
    auto paths = config::tracked_configs(ctx.roots.state);
    paths.insert(paths.end(), ctx.configs_read->begin(), ctx.configs_read->end());
    return paths;
  };
  for (const auto& req : requests) {
    if (force && !dry_run)
      if (auto st = store::release_held_back(ctx.layout, ctx.roots.state, req.tool); !st) {
        status = fail(st.error());
        continue;
      }
    for (const auto& spec : req.specs) {
      if (spec.kind == resolver::SpecKind::System) continue;
      auto backend = backends::backend_for(ctx.backend_env(), req.tool);
      if (!backend) {
        status = fail(backend.error());
        break;
      }
      store::UpgradePlan plan =
          store::plan_upgrade(ctx.layout, ctx.roots.state, resolver::Request{req.tool, {spec}, req.source, req.line});
      plan.configs = configs;
      auto target = upgrade_target(**backend, spec, force ? std::vector<std::string>{} : plan.held);
      if (!target) {
        status = fail(target.error());
        continue;
      }
      if (target->empty() || (spec.kind == resolver::SpecKind::Version && *target == spec.text)) continue;  // exact
      const std::string from = plan.from.empty() ? std::string("nothing") : store::version_of_entry(plan.from);
      if (!plan.from.empty() && resolver::compare_versions(from, *target) >= 0) {
        note(req.tool + " " + spec.text + " is up to date (" + from + ")");
        continue;
      }
      if (dry_run) {
        fmt::print("would upgrade {} {}: {} -> {}\n", req.tool, spec.text, from, *target);
        continue;
      }
      note("upgrading " + req.tool + " " + spec.text + ": " + from + " -> " + *target);
      store::InstallOptions opts;
      opts.shim_binary = ctx.shim_binary;
      opts.download_root = ctx.download_root();
      opts.state_dir = ctx.roots.state;
      opts.upgrade = &plan;
      auto outcome = store::install_version(ctx.layout, **backend, req.tool, *target, opts);
      if (!outcome) {
        status = fail(outcome.error());
        continue;
      }
      for (const auto& w : outcome->warnings) note("warning: " + w);
      note(upgrade_report(req.tool + " " + spec.text, *target, *outcome));
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
        note("kept " + item.tool + " " + item.entry + " while in use by " +
             store::describe_holders(item.users, ctx.layout.entry_path(item.tool, item.entry)) +
             "; it goes within a second of their exit");
      else if (item.status == store::GcStatus::Failed)
        note("warning: " + item.error);
  }
  return status;
}

}  // namespace rtx::cli
