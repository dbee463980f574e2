#include "manager/lock/lock_merge.hpp"

#include <algorithm>
#include <optional>

#include "manager/config/toml_scan.hpp"
#include "manager/lock/lock_fields.hpp"

namespace rtx::lock {
namespace {

namespace scan = config::toml_scan;

struct Range {
  std::size_t begin = 0, end = 0;  // [begin, end) of the old text
};

// A sub-table of an entry: `[tools.X."platforms.P"]` or `[tools.X.platforms.P]`
// (a platform), another table of its own (mise's options), or one inside the
// platforms (`[tools.X.platforms]`, `[tools.X.platforms.P.more]`).
struct SubTable {
  enum Kind { Platform, Other, InPlatforms } kind = Other;
  Range range;
  std::string platform;        // as written (Platform)
  bool nested = false;         // [tools.X.platforms.P], mise's older spelling
  std::size_t header_end = 0;  // just past the header's line
};

// One entry as written: its `[[tools.X]]` (or older `[tools.X]`) header with
// its keys, then its sub-tables.
struct OldEntry {
  Range whole, top;
  bool has_top = false;           // false: a group that starts with a sub-table (of an earlier entry)
  bool array = false;             // [[tools.X]]
  bool inline_platforms = false;  // platforms given as keys in the top (platforms = {…}, platforms.P.url = …)
  std::vector<SubTable> subs;
  std::optional<LockedTool> parsed;  // the entry read on its own, when it reads as one
};

struct Group {
  std::string tool;
  Range range;
  std::vector<OldEntry> entries;
};

std::optional<std::string> lockmerge_tool_of(const scan::Header& h) {
  if (h.path.size() >= 2 && h.path[0] == "tools") return h.path[1];
  return std::nullopt;
}

std::size_t lockmerge_line_start(std::string_view text, std::size_t pos) {
  while (pos > 0 && text[pos - 1] != '\n') --pos;
  return pos;
}

std::string lockmerge_piece(std::string_view text, Range r) {
  std::string s(text.substr(r.begin, r.end - r.begin));
  if (!s.empty() && s.back() != '\n') s += '\n';
  return s;
}

// A platform table kept with its keys, its header spelt as mise 2026 does:
// some readers refuse an entry that mixes `platforms.P` tables with quoted
// "platforms.P" keys, and the tables written beside it are quoted.
std::string lockmerge_platform_piece(std::string_view text, std::string_view tool, const SubTable& sub) {
  if (!sub.nested) return lockmerge_piece(text, sub.range);
  return "[tools." + toml_key(tool) + "." + toml_string("platforms." + sub.platform) + "]\n" +
         lockmerge_piece(text, Range{sub.header_end, sub.range.end});
}

// Headers of the document grouped per tool, each entry cut out, with where its
// keys end (the last key's line; blank lines and comments after it stay outside).
std::vector<Group> lockmerge_groups(std::string_view text, const scan::Document& doc) {
  const auto& hs = doc.headers;
  // content_end[i]: just past header i's last key (or the header itself).
  std::vector<std::size_t> content_end(hs.size());
  std::vector<bool> top_has_platform_keys(hs.size(), false);
  std::size_t kv = 0;
  while (kv < doc.entries.size() && (hs.empty() || doc.entries[kv].key_begin < hs[0].begin)) ++kv;
  for (std::size_t i = 0; i < hs.size(); ++i) {
    content_end[i] = hs[i].line_end;
    std::size_t next = i + 1 < hs.size() ? hs[i + 1].begin : text.size();
    for (; kv < doc.entries.size() && doc.entries[kv].key_begin < next; ++kv) {
      content_end[i] = std::max(content_end[i], doc.entries[kv].line_end);
      if (doc.entries[kv].key[0].substr(0, 9) == "platforms") top_has_platform_keys[i] = true;
    }
  }

  std::vector<Group> groups;
  std::optional<std::string> previous;
  for (std::size_t i = 0; i < hs.size(); ++i) {
    auto tool = lockmerge_tool_of(hs[i]);
    if (!tool) {
      previous.reset();
      continue;
    }
    Range here{lockmerge_line_start(text, hs[i].begin), content_end[i]};
    if (previous != tool) groups.push_back(Group{*tool, here, {}});
    previous = tool;
    Group& g = groups.back();
    g.range.end = here.end;
    const auto& path = hs[i].path;
    if (path.size() == 2 || g.entries.empty()) {
      OldEntry e;
      e.whole = here;
      e.has_top = path.size() == 2;
      e.array = hs[i].array;
      if (e.has_top) {
        e.top = here;
        e.inline_platforms = top_has_platform_keys[i];
        g.entries.push_back(std::move(e));
        continue;
      }
      g.entries.push_back(std::move(e));
    }
    OldEntry& e = g.entries.back();
    e.whole.end = here.end;
    SubTable sub{SubTable::Other, here, {}, false, hs[i].line_end};
    if (path.size() == 3 && path[2].substr(0, 10) == "platforms.") {
      sub.kind = SubTable::Platform;
      sub.platform = path[2].substr(10);
    } else if (path.size() == 4 && path[2] == "platforms") {
      sub.kind = SubTable::Platform;
      sub.platform = path[3];
      sub.nested = true;
    } else if (path[2] == "platforms" || path[2].substr(0, 10) == "platforms.") {
      // Platform values not in tables of their own: none of them is reused.
      sub.kind = SubTable::InPlatforms;
      e.inline_platforms = true;
    }
    e.subs.push_back(std::move(sub));
  }
  for (auto& g : groups)
    for (auto& e : g.entries) {
      if (!e.has_top) continue;
      auto alone = parse_lockfile("", text.substr(e.whole.begin, e.whole.end - e.whole.begin));
      if (alone && alone->tools.size() == 1) e.parsed = alone->tools.front();
    }
  return groups;
}

// The text of one new entry, reusing what the file already holds for it: the
// whole entry when nothing changed; for the same version and backend, the top
// (with mise's extra keys) when the request is the same, each platform table
// whose values are unchanged, and the tables of platforms rtx does not know.
std::string lockmerge_entry_text(std::string_view text, const LockedTool& entry, bool only_entry,
                                 const std::vector<const OldEntry*>& old) {
  for (const OldEntry* e : old)
    if (e->parsed && *e->parsed == entry && (e->array || only_entry)) return lockmerge_piece(text, e->whole);

  const OldEntry* base = nullptr;
  for (const OldEntry* e : old)
    if (e->parsed && e->parsed->version == entry.version && e->parsed->backend == entry.backend) {
      base = e;
      break;
    }
  std::vector<std::string> pieces;
  bool keep_top = base && base->array && !base->inline_platforms && base->parsed->specifiers == entry.specifiers;
  if (keep_top) {
    pieces.push_back(lockmerge_piece(text, base->top));
    for (const auto& sub : base->subs)
      if (sub.kind == SubTable::Other) pieces.push_back(lockmerge_piece(text, sub.range));
  } else {
    pieces.push_back(entry_top_text(entry));
  }
  for (const auto& [platform, info] : entry.platforms) {
    const SubTable* same = nullptr;
    if (base && !base->inline_platforms)
      for (const auto& sub : base->subs) {
        if (sub.kind != SubTable::Platform) continue;
        auto name = normalize_platform(sub.platform);
        if (name && *name == platform && base->parsed->platforms.count(platform) &&
            base->parsed->platforms.at(platform) == info)
          same = &sub;
      }
    pieces.push_back(same ? lockmerge_platform_piece(text, entry.tool, *same)
                          : platform_text(entry.tool, platform, info));
  }
  if (base)
    for (const auto& sub : base->subs)
      if (sub.kind == SubTable::Platform && !normalize_platform(sub.platform))
        pieces.push_back(lockmerge_platform_piece(text, entry.tool, sub));
  std::string out;
  for (std::size_t i = 0; i < pieces.size(); ++i) out += (i ? "\n" : "") + pieces[i];
  return out;
}

std::vector<std::string> lockmerge_tool_order(const std::vector<LockedTool>& entries) {
  std::vector<std::string> order;
  for (const auto& e : entries)
    if (std::find(order.begin(), order.end(), e.tool) == order.end()) order.push_back(e.tool);
  return order;
}

std::vector<LockedTool> lockmerge_of_tool(const std::vector<LockedTool>& all, std::string_view tool) {
  std::vector<LockedTool> out;
  for (const auto& t : all)
    if (t.tool == tool) out.push_back(t);
  return out;
}

bool lockmerge_contains(const std::vector<std::string>& names, std::string_view name) {
  return std::find(names.begin(), names.end(), name) != names.end();
}

Status lockmerge_check_entries(const std::vector<LockedTool>& entries) {
  for (std::size_t i = 0; i < entries.size(); ++i) {
    if (auto st = check_entry(entries[i]); !st) return st;
    // As the reader: entries without specifiers (mise's older forms) may repeat.
    for (std::size_t j = 0; j < i && !entries[i].specifiers.empty(); ++j)
      if (entries[j].tool == entries[i].tool && entries[j].specifiers == entries[i].specifiers)
        return make_error("two lock entries of '" + entries[i].tool + "' for the same request: give one per request");
  }
  return ok_status();
}

// The merged text must read back as intended: the tools of `entries` as given,
// every other tool as before (in the same order).
Status lockmerge_verify(const std::string& path, const Lockfile& before, std::string_view merged,
                        const std::vector<LockedTool>& entries, const std::vector<std::string>& touched) {
  auto after = parse_lockfile(path, merged);
  if (!after) return Error{after.error()};
  std::vector<LockedTool> kept_before, kept_after;
  for (const auto& t : before.tools)
    if (!lockmerge_contains(touched, t.tool)) kept_before.push_back(t);
  for (const auto& t : after->tools)
    if (!lockmerge_contains(touched, t.tool)) kept_after.push_back(t);
  if (kept_before != kept_after) return make_error("the other tools' entries would read differently");
  for (const auto& tool : touched)
    if (lockmerge_of_tool(after->tools, tool) != lockmerge_of_tool(entries, tool))
      return make_error("the entries of '" + tool + "' would not read back as written");
  return ok_status();
}

}  // namespace

std::string new_lockfile_text(const std::vector<LockedTool>& entries) {
  std::string out = std::string(kGeneratedHeader) + "lockfile_version = 3\n";
  for (const auto& tool : lockmerge_tool_order(entries))
    for (const auto& e : entries)
      if (e.tool == tool) out += "\n" + entry_text(e);
  return out;
}

Expected<std::string> merge_lockfile_text(const std::string& path, std::string_view old_text,
                                          const std::vector<LockedTool>& entries,
                                          const std::vector<std::string>& remove_tools) {
  if (auto st = lockmerge_check_entries(entries); !st) return make_error("cannot update " + path + ": " + st.error());
  const std::string refused = ": rtx left it unchanged; move it aside and run rtx lock to write a new one";
  if (std::all_of(old_text.begin(), old_text.end(),
                  [](char c) { return c == ' ' || c == '\t' || c == '\n' || c == '\r'; })) {
    std::string text = new_lockfile_text(entries);
    if (auto st = lockmerge_verify(path, Lockfile{}, text, entries, lockmerge_tool_order(entries)); !st)
      return make_error("cannot write " + path + ": " + st.error());
    return text;
  }
  auto before = parse_lockfile(path, old_text);
  if (!before) return Error{before.error()};
  auto doc = scan::scan(old_text);
  if (!doc) return make_error("cannot update " + path + ": " + doc.error() + refused);

  std::vector<std::string> order = lockmerge_tool_order(entries);
  std::vector<std::string> touched = order;
  for (const auto& r : remove_tools)
    if (!lockmerge_contains(touched, r)) touched.push_back(r);
  std::vector<Group> groups = lockmerge_groups(old_text, *doc);

  // Entries written as keys rather than headers ([tools] node = "20.1.0", or
  // tools.node.version = … at the top): their lines go.
  std::vector<Range> key_lines;
  for (const auto& kv : doc->entries) {
    std::optional<std::string> tool;
    if (kv.table.empty() && kv.key.size() >= 2 && kv.key[0] == "tools") tool = kv.key[1];
    if (kv.table.size() == 1 && kv.table[0] == "tools" && !kv.in_array_table) tool = kv.key[0];
    if (tool && lockmerge_contains(touched, *tool)) key_lines.push_back(Range{kv.line_begin, kv.line_end});
  }

  // Nothing to do: every updated tool already reads as given, no removed tool is there.
  bool unchanged = key_lines.empty();
  for (const auto& tool : order)
    unchanged = unchanged && lockmerge_of_tool(before->tools, tool) == lockmerge_of_tool(entries, tool);
  for (const auto& g : groups)
    unchanged = unchanged && (lockmerge_contains(order, g.tool) || !lockmerge_contains(touched, g.tool));
  if (unchanged) return std::string(old_text);

  struct Edit {
    Range range;
    std::string text;
  };
  std::vector<Edit> edits;
  std::vector<std::string> placed;
  for (const auto& g : groups) {
    if (!lockmerge_contains(touched, g.tool)) continue;
    if (lockmerge_contains(order, g.tool) && !lockmerge_contains(placed, g.tool)) {
      std::vector<const OldEntry*> old;
      for (const auto& og : groups)
        if (og.tool == g.tool)
          for (const auto& e : og.entries) old.push_back(&e);
      auto mine = lockmerge_of_tool(entries, g.tool);
      std::string block;
      for (std::size_t i = 0; i < mine.size(); ++i)
        block += (i ? "\n" : "") + lockmerge_entry_text(old_text, mine[i], mine.size() == 1, old);
      edits.push_back(Edit{g.range, block});
      placed.push_back(g.tool);
      continue;
    }
    Range r = g.range;  // removed, with the blank lines after it
    while (r.end < old_text.size()) {
      std::size_t eol = old_text.find('\n', r.end);
      std::size_t stop = eol == std::string_view::npos ? old_text.size() : eol + 1;
      auto line = old_text.substr(r.end, stop - r.end);
      if (line.find_first_not_of(" \t\r\n") != std::string_view::npos) break;
      r.end = stop;
    }
    edits.push_back(Edit{r, ""});
  }
  for (const auto& r : key_lines) edits.push_back(Edit{r, ""});
  std::sort(edits.begin(), edits.end(), [](const Edit& a, const Edit& b) { return a.range.begin < b.range.begin; });

  std::string out;
  std::size_t at = 0;
  for (const auto& e : edits) {
    if (e.range.begin < at) return make_error("cannot update " + path + ": its tables overlap" + refused);
    out.append(old_text.substr(at, e.range.begin - at));
    out += e.text;
    at = e.range.end;
  }
  out.append(old_text.substr(at));
  for (const auto& tool : order) {
    if (lockmerge_contains(placed, tool)) continue;
    if (!out.empty()) {
      if (out.back() != '\n') out += '\n';
      if (out.size() < 2 || out.substr(out.size() - 2) != "\n\n") out += '\n';
    }
    auto mine = lockmerge_of_tool(entries, tool);
    for (std::size_t i = 0; i < mine.size(); ++i) out += (i ? "\n" : "") + entry_text(mine[i]);
  }
  if (auto st = lockmerge_verify(path, *before, out, entries, touched); !st)
    return make_error("cannot update " + path + " in place (" + st.error() + ")" + refused);
  return out;
}

}  // namespace rtx::lock
