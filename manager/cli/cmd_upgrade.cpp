// rtx upgrade: for each fuzzy request in scope, the newest matching remote
// version side by side (DESIGN.md §7). The store decides at commit, under the
// tool lock, what the new build supersedes and whether a tracked config keeps
// that one READY (store::install_version with an UpgradePlan); this command
// chooses the version and prints what the commit reports actually happened.
//
// --bump (as mise's): the first spec of a request from a config rtx edits
// takes the newest version overall, and the spec is rewritten at its precision
// ("1" -> "2", "1.0" -> "2.1"; config/spec_rewrite.hpp), in place (§10). In
// this order, so every config resolves to a READY build throughout: the edit
// is planned (a read-only file refused before any work), the new build
// committed (the old one kept READY: the config still asks for it), the file
// written, and only then the old build retired (store::retire_superseded).
#include <fmt/core.h>

#include <algorithm>

#include "manager/backends/plugins.hpp"
#include "manager/cli/commands.hpp"
#include "manager/cli/lock_session.hpp"
#include "manager/config/config_edit.hpp"
#include "manager/config/settings.hpp"
#include "manager/config/spec_rewrite.hpp"
#include "manager/config/tracked_configs.hpp"
#include "manager/store/entries.hpp"
#include "manager/store/garbage.hpp"
#include "manager/store/install_transaction.hpp"
#include "manager/store/proc_scan.hpp"
#include "manager/store/rollback.hpp"
#include "manager/store/supersede.hpp"
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

// Whether `rtx upgrade --bump` may edit the file a request came from: the
// configs of DESIGN.md §4 step 2 and the global ones; never an idiomatic file
// (.nvmrc, .python-version …), whose format belongs to other tools.
bool rtx_edits(const Context& ctx, const std::string& source) {
  if (source == ctx.roots.config + "/config.toml") return true;
  std::string name = source.substr(source.rfind('/') + 1);
  return std::any_of(std::begin(resolver::kConfigNames), std::end(resolver::kConfigNames),
                     [&](const char* n) { return name == n; });
}

class Upgrader {
 public:
  Upgrader(Context& ctx, LockSession& locks, bool dry_run, bool force)
      : ctx_(ctx), locks_(locks), dry_run_(dry_run), force_(force) {}

  // Takes `spec` (one of the request's) to the newest version it allows; false
  // when the tool's other specs need not be tried (no backend).
  bool upgrade(const resolver::Request& req, const resolver::VersionSpec& spec);
  // --bump for the request's first spec; false when it is left to upgrade().
  bool bump(const resolver::Request& req);

  int status = kExitOk;
  std::vector<std::string> touched;  // tools to collect garbage for

 private:
  std::vector<std::string> configs() const {
    auto paths = config::tracked_configs(ctx_.roots.state);
    paths.insert(paths.end(), ctx_.configs_read->begin(), ctx_.configs_read->end());
    return paths;
  }
  store::UpgradePlan plan(const resolver::Request& req, const resolver::VersionSpec& spec) const {
    store::UpgradePlan p =
        store::plan_upgrade(ctx_.layout, ctx_.roots.state, resolver::Request{req.tool, {spec}, req.source, req.line});
    p.configs = [this] { return configs(); };
    return p;
  }
  Expected<store::InstallOutcome> install(backends::Backend& backend, const std::string& tool,
                                          const std::string& version, const store::UpgradePlan& p) const {
    store::InstallOptions opts;
    opts.shim_binary = ctx_.shim_binary;
    opts.download_root = ctx_.download_root();
    opts.state_dir = ctx_.roots.state;
    opts.upgrade = &p;
    return store::install_version(ctx_.layout, backend, tool, version, opts);
  }

  Context& ctx_;
  LockSession& locks_;  // the locks follow what upgrade installs (DESIGN.md §11)
  bool dry_run_, force_;
};

bool Upgrader::upgrade(const resolver::Request& req, const resolver::VersionSpec& spec) {
  auto backend = backends::backend_for(ctx_.backend_env(), req.tool);
  if (!backend) {
    status = fail(backend.error());
    return false;
  }
  store::UpgradePlan p = plan(req, spec);
  auto target = upgrade_target(**backend, spec, force_ ? std::vector<std::string>{} : p.held);
  if (!target) {
    status = fail(target.error());
    return true;
  }
  if (target->empty() || (spec.kind == resolver::SpecKind::Version && *target == spec.text)) return true;  // exact
  const std::string from = p.from.empty() ? std::string("nothing") : store::version_of_entry(p.from);
  if (!p.from.empty() && resolver::compare_versions(from, *target) >= 0) {
    note(req.tool + " " + spec.text + " is up to date (" + from + ")");
    if (!dry_run_) locks_.record(req, spec, from);
    return true;
  }
  if (dry_run_) {
    fmt::print("would upgrade {} {}: {} -> {}\n", req.tool, spec.text, from, *target);
    return true;
  }
  note("upgrading " + req.tool + " " + spec.text + ": " + from + " -> " + *target);
  auto outcome = install(**backend, req.tool, *target, p);
  if (!outcome) {
    status = fail(outcome.error());
    return true;
  }
  for (const auto& w : outcome->warnings) note("warning: " + w);
  note(upgrade_report(req.tool + " " + spec.text, *target, *outcome));
  if (outcome->committed == store::Committed::Installed || outcome->committed == store::Committed::AlreadyInstalled)
    locks_.record(req, spec, *target);
  touched.push_back(req.tool);
  return true;
}

bool Upgrader::bump(const resolver::Request& req) {
  const resolver::VersionSpec& spec = req.specs.front();
  if (spec.kind != resolver::SpecKind::Version) return false;  // latest stays latest; system is not rtx's
  if (!rtx_edits(ctx_, req.source)) {
    note(req.source.starts_with("/") ? "not bumping " + req.tool + " in " + req.source +
                                           ": rtx does not edit idiomatic version files; change it there by hand"
                                     : "not bumping " + req.tool + ": " + req.source + " sets it; change the variable");
    return false;
  }
  auto backend = backends::backend_for(ctx_.backend_env(), req.tool);
  if (!backend) {
    status = fail(backend.error());
    return true;
  }
  store::UpgradePlan p = plan(req, spec);
  auto newest = upgrade_target(**backend, resolver::VersionSpec{resolver::SpecKind::Latest, "latest"},
                               force_ ? std::vector<std::string>{} : p.held);
  if (!newest) {
    status = fail(newest.error());
    return true;
  }
  auto to = newest->empty() ? std::nullopt : config::bumped_spec(spec.text, *newest);
  if (!to) return false;  // already the newest at its precision ("2" with 2.1.0): a plain upgrade
  // 1. The edit, planned: a file rtx must not edit is refused before any work.
  config::SpecBump change{0, spec.text, *to};
  auto edit = config::plan_spec_bump(req.source, req.tool, change);
  if (!edit) {
    status = fail(edit.error());
    return true;
  }
  const std::string from = p.from.empty() ? std::string("nothing") : store::version_of_entry(p.from);
  const std::string write = req.tool + " = \"" + *to + "\" in " + req.source;
  if (dry_run_) {
    fmt::print("would upgrade {} {}: {} -> {} and write {}\n", req.tool, spec.text, from, *newest, write);
    return true;
  }
  note("upgrading " + req.tool + " " + spec.text + ": " + from + " -> " + *newest + " (bump)");
  // 2. The new build, committed; the old one stays READY: the file still asks for it.
  auto outcome = install(**backend, req.tool, *newest, p);
  if (!outcome) {
    status = fail(outcome.error());
    return true;
  }
  for (const auto& w : outcome->warnings) note("warning: " + w);
  if (outcome->committed == store::Committed::Overtaken || outcome->committed == store::Committed::HeldBack) {
    note(upgrade_report(req.tool + " " + spec.text, *newest, *outcome) + "; " + req.source + " is left as it is");
    return true;
  }
  touched.push_back(req.tool);
  // 3. The file, written.
  if (auto st = config::commit(*edit); !st) {
    status = fail(st.error() + " (" + req.tool + " " + *newest + " is installed; " + from + " stays READY)");
    return true;
  }
  resolver::Request bumped = req;
  bumped.specs.front() = resolver::VersionSpec{resolver::SpecKind::Version, *to};
  locks_.record(bumped, bumped.specs.front(), *newest);
  std::string line = "upgraded " + req.tool + " " + spec.text + " to " + *newest + " and wrote " + write;
  // 4. The old build, retired unless another config still resolves to it.
  std::string old = !outcome->kept_entry.empty()                               ? outcome->kept_entry
                    : outcome->committed == store::Committed::AlreadyInstalled ? p.from
                                                                               : std::string();
  if (!outcome->retired_entry.empty() && store::version_of_entry(outcome->retired_entry) != *newest)
    line += "; " + store::version_of_entry(outcome->retired_entry) + " is retired";
  if (!old.empty()) {
    auto retired = store::retire_superseded(ctx_.layout, ctx_.roots.state, ctx_.shim_binary, req.tool, old,
                                            outcome->entry_path.substr(outcome->entry_path.rfind('/') + 1), configs());
    if (!retired) {
      status = fail(retired.error());
      return true;
    }
    for (const auto& w : retired->warnings) note("warning: " + w);
    if (retired->retired)
      line += "; " + store::version_of_entry(old) + " is retired";
    else if (!retired->kept_for.empty())
      line += " (" + store::version_of_entry(old) + " stays READY: " + retired->kept_for + " still resolves to it)";
  }
  note(line);
  return true;
}

}  // namespace

int cmd_upgrade(Context& ctx, const std::vector<std::string>& tools, bool dry_run, bool force, bool bump) {
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

  auto mode = lock_mode(ctx, false);
  if (!mode) return fail(mode.error());
  if (mode->locked && !dry_run)
    return fail(
        "rtx upgrade moves versions past the lock, and locked mode (RTX_LOCKED or [settings] locked) forbids "
        "that: run it without locked mode, then commit the updated lock",
        2);
  LockSession locks(ctx, *mode);
  Upgrader up(ctx, locks, dry_run, force);
  for (const auto& req : requests) {
    if (force && !dry_run)
      if (auto st = store::release_held_back(ctx.layout, ctx.roots.state, req.tool); !st) {
        up.status = fail(st.error());
        continue;
      }
    // --bump rewrites the first spec only: in ["3.11", "3.10"] the fallbacks
    // keep their meaning and are upgraded within it.
    std::size_t first = bump && !req.specs.empty() && up.bump(req) ? 1 : 0;
    for (std::size_t i = first; i < req.specs.size(); ++i) {
      if (req.specs[i].kind == resolver::SpecKind::System) continue;
      if (!up.upgrade(req, req.specs[i])) break;
      if (util::interrupted()) return fail("interrupted", 130);
    }
    if (util::interrupted()) return fail("interrupted", 130);
  }
  if (auto st = locks.flush(); !st) up.status = fail(st.error());
  if (!up.touched.empty()) {
    store::GcOptions gc;
    gc.keep_previous = settings->keep_previous;
    gc.waiter_binary = ctx.rtx_binary;
    gc.state_dir = ctx.roots.state;
    for (const auto& item : store::collect_garbage(ctx.layout, up.touched, gc))
      if (item.status == store::GcStatus::Reaped)
        note("removed " + item.tool + " " + item.entry);
      else if (item.status == store::GcStatus::Busy)
        note("kept " + item.tool + " " + item.entry + " while in use by " +
             store::describe_holders(item.users, ctx.layout.entry_path(item.tool, item.entry)) +
             "; it goes within a second of their exit");
      else if (item.status == store::GcStatus::Failed)
        note("warning: " + item.error);
  }
  return up.status;
}

}  // namespace rtx::cli
