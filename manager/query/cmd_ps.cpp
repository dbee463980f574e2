// rtx ps [--json] [tool] (DESIGN.md §7): the live processes holding a build,
// found in one pass over /proc (manager/store/lease_scan.hpp), then the RETIRED
// builds the reaper removes once their holders exit. The safety net (exe, cwd,
// fds, maps) runs over RETIRED and REAPING builds only: a READY build is never
// reaped, so only its lease holders matter, and that keeps `rtx ps` cheap.
#include <sys/ioctl.h>
#include <time.h>
#include <unistd.h>

#include <algorithm>
#include <cstdlib>
#include <map>
#include <string_view>

#include "manager/config/settings.hpp"
#include "manager/query/query_commands.hpp"
#include "manager/store/entries.hpp"
#include "manager/store/garbage.hpp"  // kept_for_rollback (store/kept_builds.cpp)
#include "manager/store/lease_scan.hpp"
#include "manager/store/proc_scan.hpp"
#include "manager/util/json.hpp"
#include "resolver/config_file.hpp"
#include "resolver/version.hpp"

namespace rtx::cli {
namespace {

struct Build {
  std::string version;
  std::string path;  // the store path, as the data dir is named (not resolved)
  resolver::EntryState state = resolver::EntryState::Missing;
  bool pending = false;  // RETIRED or REAPING, and not kept for `rtx rollback`
};

struct PsRow {
  store::Holding holding;
  const Build* build = nullptr;
};

using Builds = std::map<std::pair<std::string, std::string>, Build>;  // (tool, entry)

// `text` then spaces up to `width` bytes (every padded column is ASCII).
void ps_pad(std::string& out, std::string_view text, std::size_t width) {
  out.append(text);
  if (text.size() < width) out.append(width - text.size(), ' ');
}

bool retired(resolver::EntryState s) {
  return s == resolver::EntryState::Retired || s == resolver::EntryState::Reaping;
}

std::string time_text(std::int64_t t, bool utc) {
  time_t tt = time_t(t);
  tm parts{};
  if (!(utc ? ::gmtime_r(&tt, &parts) : ::localtime_r(&tt, &parts))) return "?";
  char buf[32];
  std::strftime(buf, sizeof buf, utc ? "%Y-%m-%dT%H:%M:%SZ" : "%Y-%m-%d %H:%M:%S", &parts);
  return buf;
}

// The table's COMMAND column: one line, cut at `width` bytes (never inside a
// UTF-8 sequence) with "..." when longer.
std::string command_cell(std::string command, std::size_t width) {
  for (char& c : command)
    if (static_cast<unsigned char>(c) < 0x20 || c == 0x7f) c = '?';
  if (command.size() <= width) return command;
  std::size_t cut = width > 3 ? width - 3 : 0;
  while (cut > 0 && (static_cast<unsigned char>(command[cut]) & 0xC0) == 0x80) --cut;
  return command.substr(0, cut) + "...";
}

// Columns for the table: the terminal's, else $COLUMNS, else 160.
std::size_t screen_width() {
  winsize ws{};
  if (::isatty(STDOUT_FILENO) && ::ioctl(STDOUT_FILENO, TIOCGWINSZ, &ws) == 0 && ws.ws_col > 0) return ws.ws_col;
  if (const char* cols = std::getenv("COLUMNS"); cols && std::atoi(cols) > 0) return std::size_t(std::atoi(cols));
  return 160;
}

boost::json::array json_rows(const std::vector<PsRow>& rows) {
  boost::json::array out;
  for (const auto& r : rows) {
    const auto& h = r.holding;
    out.push_back(boost::json::object{
        {"pid", h.pid},
        {"tool", util::json_text(h.build.tool)},
        {"version", util::json_text(r.build->version)},
        {"build", util::json_text(h.build.entry)},
        {"state", resolver::state_name(r.build->state)},
        {"started", time_text(h.process.started, true)},
        {"command", util::json_text(h.process.command)},
        {"path", util::json_text(r.build->path)},
        {"how", util::json_text(h.how)},
        {"pending", r.build->pending},
    });
  }
  return out;
}

std::string table(const std::vector<PsRow>& rows, const Builds& builds) {
  std::size_t tool_w = 4, version_w = 7;
  for (const auto& r : rows) {
    tool_w = std::max(tool_w, r.holding.build.tool.size());
    version_w = std::max(version_w, r.build->version.size());
  }
  const std::size_t before_command = 8 + tool_w + 1 + version_w + 1 + 8 + 20;
  const std::size_t command_w = std::max<std::size_t>(20, screen_width() - std::min(screen_width(), before_command));
  auto line = [&](std::string_view pid, std::string_view tool, std::string_view version, std::string_view state,
                  std::string_view started, std::string_view command) {
    std::string out;
    ps_pad(out, pid, 7);
    out += ' ';
    ps_pad(out, tool, tool_w);
    out += ' ';
    ps_pad(out, version, version_w);
    out += ' ';
    ps_pad(out, state, 7);
    out += ' ';
    ps_pad(out, started, 19);
    out += ' ';
    out.append(command);
    out += '\n';
    return out;
  };
  std::string out = line("PID", "TOOL", "VERSION", "STATE", "STARTED", "COMMAND");
  for (const auto& r : rows)
    out += line(std::to_string(r.holding.pid), r.holding.build.tool, r.build->version,
                resolver::state_name(r.build->state), time_text(r.holding.process.started, false),
                command_cell(r.holding.process.command, command_w));

  std::string pending;
  for (const auto& [key, b] : builds) {
    if (!b.pending) continue;
    std::string holders;
    for (const auto& r : rows)
      if (r.build == &b)
        holders += (holders.empty() ? "" : ", ") + std::to_string(r.holding.pid) + " (" + r.holding.how + ")";
    // A lease locked by no process the scan could see: another user's.
    if (holders.empty() && store::lease_locked(b.path)) holders = store::unseen_holder(b.path);
    pending += "  " + key.first + " " + key.second + "  " +
               (holders.empty() ? "held by no process: the next 'rtx gc' removes it" : "held by " + holders) + "\n";
  }
  if (!pending.empty())
    out += "\npending removal (RETIRED, not kept for 'rtx rollback'; each goes once no process holds it):\n" + pending;
  return out;
}

}  // namespace

int cmd_ps(QueryContext& ctx, const std::optional<std::string>& tool, bool json) {
  if (tool)
    if (auto st = resolver::validate_tool_name(*tool); !st) return fail(st.error());
  auto settings = config::load_settings(ctx.roots.config);
  if (!settings) return fail(settings.error());

  // Every build of the tools in scope; RETIRED/REAPING ones get the safety net.
  Builds builds;
  std::vector<store::BuildRef> watched;
  for (const auto& t : tool ? std::vector<std::string>{*tool} : store::list_tools(ctx.layout)) {
    auto kept = store::kept_for_rollback(ctx.layout, ctx.roots.state, t, settings->keep_previous);
    for (const auto& e : store::list_entries(ctx.layout, t)) {
      Build& b = builds[{t, e.name}];
      b.version = e.version;
      b.path = e.path;
      b.state = e.state;
      b.pending =
          e.state == resolver::EntryState::Reaping ||
          (e.state == resolver::EntryState::Retired && std::find(kept.begin(), kept.end(), e.name) == kept.end());
      if (retired(e.state)) watched.push_back(store::BuildRef{t, e.name});
    }
  }

  std::vector<PsRow> rows;
  for (auto& h : store::scan_holdings(ctx.layout, tool.value_or(""), watched)) {
    auto it = builds.find({h.build.tool, h.build.entry});
    if (it == builds.end()) {  // a lease whose build went meanwhile (" (deleted)")
      Build b;
      b.version = store::version_of_entry(h.build.entry);
      b.path = ctx.layout.entry_path(h.build.tool, h.build.entry);
      b.state = resolver::read_state(b.path);
      it = builds.emplace(std::make_pair(h.build.tool, h.build.entry), std::move(b)).first;
    }
    PsRow row;
    row.build = &it->second;
    row.holding = std::move(h);
    rows.push_back(std::move(row));
  }
  std::sort(rows.begin(), rows.end(), [](const PsRow& a, const PsRow& b) {
    if (a.holding.build.tool != b.holding.build.tool) return a.holding.build.tool < b.holding.build.tool;
    if (int c = resolver::compare_versions(a.build->version, b.build->version); c != 0) return c < 0;
    if (a.holding.build.entry != b.holding.build.entry) return a.holding.build.entry < b.holding.build.entry;
    return a.holding.pid < b.holding.pid;
  });

  ctx.start_output();
  if (json) {
    util::print_json(json_rows(rows));
    return kExitOk;
  }
  std::string out = table(rows, builds);
  std::fwrite(out.data(), 1, out.size(), stdout);
  return kExitOk;
}

}  // namespace rtx::cli
