// set_in_toml (config_edit.hpp): find the bytes of one tool's version with
// toml_scan, replace them, and let toml++ prove that nothing else changed.
#include <algorithm>
#include <cstdio>

#include "manager/config/config_edit.hpp"
#include "manager/config/toml_scan.hpp"
#include "resolver/config_toml.hpp"
#include "resolver/toml.hpp"
#include "resolver/toml_guard.hpp"

namespace rtx::config {
namespace {

using toml_scan::KeyValue;

bool is_bare_key(std::string_view s) {
  return !s.empty() && std::all_of(s.begin(), s.end(), [](char c) {
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '-' || c == '_';
  });
}

std::string basic_string(std::string_view s) {
  std::string out = "\"";
  for (char c : s) {
    if (c == '"' || c == '\\') {
      out += '\\';
      out += c;
    } else if ((unsigned char)c < 0x20 || c == 0x7f) {
      char buf[8];
      std::snprintf(buf, sizeof buf, "\\u%04X", unsigned((unsigned char)c));
      out += buf;
    } else {
      out += c;
    }
  }
  return out + "\"";
}

// A string in the user's quote style: '…' when they wrote one and it can hold
// the value, else "…" (a new key gets "…", as mise writes).
std::string quoted(std::string_view s, char style) {
  bool literal_ok = std::none_of(
      s.begin(), s.end(), [](char c) { return c == '\'' || ((unsigned char)c < 0x20 && c != '\t') || c == 0x7f; });
  if (style == '\'' && literal_ok) return "'" + std::string(s) + "'";
  return basic_string(s);
}

std::string key_text(std::string_view key) { return is_bare_key(key) ? std::string(key) : basic_string(key); }

std::string eol_of(std::string_view text) {
  std::size_t nl = text.find('\n');
  return nl != std::string_view::npos && nl > 0 && text[nl - 1] == '\r' ? "\r\n" : "\n";
}

// The quote character of a string value, or of an array's first string.
char quote_style(std::string_view value) {
  for (char c : value) {
    if (c == '"' || c == '\'') return c;
    if (c != '[' && c != ' ' && c != '\t' && c != '\r' && c != '\n') break;
  }
  return '"';
}

std::vector<std::string> full_path(const KeyValue& kv) {
  std::vector<std::string> p = kv.table;
  p.insert(p.end(), kv.key.begin(), kv.key.end());
  return p;
}

std::string refuse(const std::string& path, const std::string& why, const std::string& tool, const std::string& spec) {
  return "cannot edit " + path + " safely (" + why + "): set " + key_text(tool) + " = " + basic_string(spec) +
         " in its [tools] by hand; rtx left the file unchanged";
}

// Where [tools] sets `tool` (its value, or its table's `version`); nullptr when nowhere.
Expected<const KeyValue*> find_tool(const toml_scan::Document& doc, const std::string& tool) {
  const std::vector<std::string> as_value{"tools", tool}, as_version{"tools", tool, "version"};
  const KeyValue* hit = nullptr;
  for (const auto& kv : doc.entries) {
    if (kv.in_array_table) continue;
    std::vector<std::string> p = full_path(kv);
    if (p != as_value && p != as_version) continue;
    if (hit) return make_error("'" + tool + "' is set in two places");
    hit = &kv;
  }
  return hit;
}

// The text with the value of `kv` (a string, an array, a scalar, or the
// `version` of an inline table) replaced by `spec`.
Expected<std::string> replace_value(std::string_view text, const KeyValue& kv, const std::string& spec) {
  std::size_t b = kv.value_begin, e = kv.value_end;
  if (text[b] == '{') {
    auto inner = toml_scan::scan_inline_table(text, b);
    if (!inner) return Error{inner.error()};
    auto version = std::find_if(inner->begin(), inner->end(),
                                [](const KeyValue& i) { return i.key == std::vector<std::string>{"version"}; });
    if (version == inner->end()) return make_error("its inline table has no 'version'");
    b = version->value_begin;
    e = version->value_end;
  }
  std::string out(text.substr(0, b));
  out += quoted(spec, quote_style(text.substr(b, e - b)));
  out += text.substr(e);
  return out;
}

// The text with `tool = "spec"` added after the last key of [tools], or after
// the last top-level `tools.x = …`, or in a new [tools] table at the end.
std::string add_tool(std::string_view text, const toml_scan::Document& doc, const std::string& tool,
                     const std::string& spec) {
  const std::string eol = eol_of(text);
  const std::string assignment = key_text(tool) + " = " + quoted(spec, '"');
  auto header = std::find_if(doc.headers.begin(), doc.headers.end(),
                             [](const auto& h) { return !h.array && h.path == std::vector<std::string>{"tools"}; });
  const KeyValue* last = nullptr;
  std::string prefix;
  for (const auto& kv : doc.entries) {
    if (kv.in_array_table) continue;
    if (header != doc.headers.end() ? kv.table == header->path
                                    : kv.table.empty() && kv.key.size() > 1 && kv.key[0] == "tools")
      last = &kv;
  }
  std::size_t at;
  if (last) {
    at = last->line_end;
    std::string_view indent = text.substr(last->line_begin, last->key_begin - last->line_begin);
    if (indent.find_first_not_of(" \t") == std::string_view::npos) prefix = indent;
    if (header == doc.headers.end()) prefix += "tools.";
  } else if (header != doc.headers.end()) {
    at = header->line_end;
  } else {
    std::string out(text);
    bool only_bom = out == "\xEF\xBB\xBF";
    if (!out.empty() && !only_bom && out.back() != '\n') out += eol;
    bool blank_before = out.size() >= 2 * eol.size() && out.substr(out.size() - 2 * eol.size()) == eol + eol;
    if (!out.empty() && !only_bom && !blank_before) out += eol;
    return out + "[tools]" + eol + assignment + eol;
  }
  std::string out(text.substr(0, at));
  if (at == text.size() && !out.empty() && out.back() != '\n') out += eol;
  out += prefix + assignment + eol;
  out += text.substr(at);
  return out;
}

// Removes what the edit may change: the tool's `version` when it is a table,
// else the tool; and an emptied [tools].
void strip_tool(toml::table& root, const std::string& tool) {
  toml::table* tools = root["tools"].as_table();
  if (!tools) return;
  if (toml::table* t = (*tools)[tool].as_table())
    t->erase("version");
  else
    tools->erase(tool);
  if (tools->empty()) root.erase("tools");
}

Status check_edit(const toml::table& before, std::string_view edited, const std::string& path, const std::string& tool,
                  const std::string& spec) {
  if (std::string bad = resolver::toml_text_problem(edited, path); !bad.empty()) return make_error(bad);
  toml::parse_result after = toml::parse(edited, path);
  if (!after) return make_error("the edited text would not parse: " + std::string(after.error().description()));
  toml::node_view value = after.table()["tools"][tool];
  if (value.is_table()) value = value["version"];
  if (value.value<std::string>() != spec) return make_error("the edit would not set the version");
  toml::table old_rest = before, new_rest = std::move(after).table();
  strip_tool(old_rest, tool);
  strip_tool(new_rest, tool);
  if (!(old_rest == new_rest)) return make_error("the edit would change other values");
  return ok_status();
}

std::string refuse_bump(const std::string& path, const std::string& why, const std::string& tool,
                        const SpecBump& bump) {
  return "cannot edit " + path + " safely (" + why + "): change " + key_text(tool) + " " + basic_string(bump.from) +
         " to " + basic_string(bump.to) + " in its [tools] by hand; rtx left the file unchanged";
}

// Where the spec `index` of `kv`'s value sits: the string itself, an element of
// its array, or its inline table's `version`.
Expected<toml_scan::Span> spec_span(std::string_view text, const KeyValue& kv, std::size_t index) {
  toml_scan::Span span{kv.value_begin, kv.value_end};
  if (text[span.begin] == '{') {
    auto inner = toml_scan::scan_inline_table(text, span.begin);
    if (!inner) return Error{inner.error()};
    auto version = std::find_if(inner->begin(), inner->end(),
                                [](const KeyValue& i) { return i.key == std::vector<std::string>{"version"}; });
    if (version == inner->end()) return make_error("its inline table has no 'version'");
    span = {version->value_begin, version->value_end};
  }
  if (text[span.begin] == '[') {
    auto items = toml_scan::scan_array(text, span.begin);
    if (!items) return Error{items.error()};
    if (index >= items->size()) return make_error("its array has no element " + std::to_string(index + 1));
    span = (*items)[index];
  } else if (index != 0) {
    return make_error("it is not an array");
  }
  if (text[span.begin] != '"' && text[span.begin] != '\'') return make_error("the version is not a string");
  return span;
}

}  // namespace

Expected<std::string> bump_in_toml(std::string_view text, const std::string& path, const std::string& tool,
                                   const SpecBump& bump) {
  auto view = resolver::parse_toml_config(path, text);  // also refuses text that is not TOML
  if (!view)
    return make_error(view.error() + "; fix the file, then run rtx upgrade --bump again; rtx left it unchanged");
  const resolver::ToolEntry* entry = view->find(tool);
  if (!entry || bump.index >= entry->specs.size() || entry->specs[bump.index] != bump.from)
    return make_error(path + " no longer asks for " + tool + " " + bump.from +
                      ": run 'rtx upgrade --bump' again; rtx left the file unchanged");
  std::vector<std::string> want = entry->specs;
  want[bump.index] = bump.to;

  auto doc = toml_scan::scan(text);
  if (!doc) return make_error(refuse_bump(path, doc.error(), tool, bump));
  auto hit = find_tool(*doc, tool);
  if (!hit || !*hit) return make_error(refuse_bump(path, hit ? "'" + tool + "' not found" : hit.error(), tool, bump));
  auto span = spec_span(text, **hit, bump.index);
  if (!span) return make_error(refuse_bump(path, span.error(), tool, bump));
  std::string edited(text.substr(0, span->begin));
  edited += quoted(bump.to, quote_style(text.substr(span->begin, span->end - span->begin)));
  edited += text.substr(span->end);

  // The edited text must read back with that one spec changed and every other value as before.
  toml::parse_result before = toml::parse(text, path);
  auto after_view = resolver::parse_toml_config(path, edited);
  toml::parse_result after = toml::parse(edited, path);
  bool same = before && after && after_view && after_view->find(tool) && after_view->find(tool)->specs == want;
  if (same) {
    toml::table old_rest = std::move(before).table(), new_rest = std::move(after).table();
    strip_tool(old_rest, tool);
    strip_tool(new_rest, tool);
    same = old_rest == new_rest;
  }
  if (!same) return make_error(refuse_bump(path, "the edit would change other values", tool, bump));
  return edited;
}

Expected<std::string> set_in_toml(std::string_view text, const std::string& path, const std::string& tool,
                                  const std::string& spec) {
  if (std::string bad = resolver::toml_text_problem(text, path); !bad.empty())
    return make_error(bad + ": fix the file, then run rtx use again; rtx left it unchanged");
  toml::parse_result before = toml::parse(text, path);
  if (!before)
    return make_error(path + ":" + std::to_string(before.error().source().begin.line) +
                      ": invalid TOML: " + std::string(before.error().description()) +
                      ": fix the file, then run rtx use again; rtx left it unchanged");
  if (auto rtx_view = resolver::parse_toml_config(path, text); !rtx_view)
    return make_error(rtx_view.error() + "; fix the file, then run rtx use again; rtx left it unchanged");

  auto doc = toml_scan::scan(text);
  if (!doc) return make_error(refuse(path, doc.error(), tool, spec));
  auto hit = find_tool(*doc, tool);
  if (!hit) return make_error(refuse(path, hit.error(), tool, spec));
  std::string edited;
  if (*hit) {
    auto replaced = replace_value(text, **hit, spec);
    if (!replaced) return make_error(refuse(path, replaced.error(), tool, spec));
    edited = std::move(*replaced);
  } else {
    edited = add_tool(text, *doc, tool, spec);
  }
  if (auto st = check_edit(before.table(), edited, path, tool, spec); !st)
    return make_error(refuse(path, st.error(), tool, spec));
  return edited;
}

}  // namespace rtx::config
