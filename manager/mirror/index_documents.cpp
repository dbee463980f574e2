// node's index.json, go's downloads JSON, checksum lists and version lists
// of an exported mirror (documents.hpp).
#include <simdjson.h>

#include <algorithm>
#include <boost/json/array.hpp>
#include <boost/json/serialize.hpp>
#include <boost/json/string.hpp>
#include <cctype>
#include <set>

#include "manager/backends/core/node_index.hpp"
#include "manager/mirror/documents.hpp"
#include "resolver/version.hpp"

namespace rtx::mirror {
namespace {

boost::json::value mirror_json_of(simdjson::dom::element e) {
  using T = simdjson::dom::element_type;
  switch (e.type()) {
    case T::ARRAY: {
      boost::json::array out;
      simdjson::dom::array items;
      if (!e.get_array().get(items))
        for (simdjson::dom::element item : items) out.push_back(mirror_json_of(item));
      return out;
    }
    case T::OBJECT: {
      boost::json::object out;
      simdjson::dom::object fields;
      if (!e.get_object().get(fields))
        for (auto [key, value] : fields) out[key] = mirror_json_of(value);
      return out;
    }
    case T::INT64:
      return e.get_int64().value_unsafe();
    case T::UINT64:
      return e.get_uint64().value_unsafe();
    case T::DOUBLE:
      return e.get_double().value_unsafe();
    case T::STRING:
      return boost::json::string(e.get_string().value_unsafe());
    case T::BOOL:
      return e.get_bool().value_unsafe();
    case T::NULL_VALUE:
      break;
  }
  return nullptr;
}

Error mirror_not_a(const std::string& where, const std::string& what, const std::string& why) {
  return make_error(where + " is not " + what + " (" + why +
                    "): it was not written by 'rtx mirror export'; move it away or export into another folder");
}

// The array of releases in `text`, each an object with a "version" of
// `prefix` + a valid version ("v20.11.1", "go1.22.1") and a "files" array,
// every archive file of go's named plainly: the folder's index, to merge into,
// refused unless the backend could read it (what the merge keeps of it, the
// fleet reads).
Expected<std::vector<boost::json::object>> mirror_release_array(std::string_view text, const std::string& where,
                                                                const std::string& what, const std::string& prefix) {
  std::vector<boost::json::object> out;
  if (text.empty()) return out;
  auto value = parse_json_value(text);
  if (!value) return mirror_not_a(where, what, "not JSON");
  if (!value->is_array()) return mirror_not_a(where, what, "not an array of releases");
  for (auto& item : value->as_array()) {
    const boost::json::string* version = nullptr;
    const boost::json::array* files = nullptr;
    if (auto* obj = item.if_object()) {
      if (auto* v = obj->if_contains("version")) version = v->if_string();
      if (auto* f = obj->if_contains("files")) files = f->if_array();
    }
    if (!version || version->size() <= prefix.size() || version->subview().substr(0, prefix.size()) != prefix ||
        !resolver::validate_version(version->subview().substr(prefix.size())))
      return mirror_not_a(where, what, "a release without a \"version\" like \"" + prefix + "1.2.3\"");
    if (!files) return mirror_not_a(where, what, "release " + std::string(*version) + " has no \"files\" array");
    for (const auto& f : *files) {
      const auto* o = f.if_object();
      const auto* kind = o ? o->if_contains("kind") : nullptr;
      if (!kind || !kind->is_string() || kind->as_string() != "archive") continue;
      const auto* name = o->if_contains("filename");
      std::string_view n = name && name->is_string() ? std::string_view(name->as_string()) : std::string_view();
      if (n.empty() || n.find('/') != std::string_view::npos || n[0] == '.')
        return mirror_not_a(where, what, "release " + std::string(*version) + " has a file without a plain name");
    }
    out.push_back(std::move(item.as_object()));
  }
  return out;
}

std::string mirror_version_of(const boost::json::object& release, const char* key, std::size_t prefix) {
  return std::string(release.at(key).as_string().subview().substr(prefix));
}

// Newest first, one release a line: as the upstreams publish them, and diffable.
std::string mirror_release_lines(std::vector<boost::json::object> releases, const char* key, std::size_t prefix) {
  std::stable_sort(releases.begin(), releases.end(), [&](const auto& a, const auto& b) {
    return resolver::compare_versions(mirror_version_of(a, key, prefix), mirror_version_of(b, key, prefix)) > 0;
  });
  std::string out = "[";
  for (std::size_t i = 0; i < releases.size(); ++i) out += (i ? ",\n" : "\n") + boost::json::serialize(releases[i]);
  return out + "\n]\n";
}

boost::json::object* mirror_find_release(std::vector<boost::json::object>& releases, const char* key,
                                         const std::string& version) {
  for (auto& r : releases)
    if (r.at(key).as_string() == version) return &r;
  return nullptr;
}

std::string_view mirror_sums_name(std::string_view line) {
  std::size_t sp = line.find(' ');
  if (sp == std::string_view::npos) return {};
  std::string_view name = line.substr(sp);
  while (!name.empty() && (name.front() == ' ' || name.front() == '*')) name.remove_prefix(1);
  while (!name.empty() && (name.back() == '\r' || name.back() == ' ')) name.remove_suffix(1);
  return name;
}

}  // namespace

std::optional<boost::json::value> parse_json_value(std::string_view text) {
  simdjson::dom::parser parser;
  simdjson::padded_string padded(text);
  simdjson::dom::element doc;
  if (parser.parse(padded).get(doc)) return std::nullopt;
  return mirror_json_of(doc);
}

std::string node_file_key(const std::string& platform) {
  if (platform == "linux-x64" || platform == "linux-arm64") return platform;
  if (platform == "macos-x64") return "osx-x64-tar";
  if (platform == "macos-arm64") return "osx-arm64-tar";
  return {};
}

std::optional<boost::json::object> node_index_entry(std::string_view index_json, const std::string& version) {
  auto releases = mirror_release_array(index_json, "index.json", "a node index", "v");
  if (!releases) return std::nullopt;
  for (auto& r : *releases)
    if (r.at("version").as_string() == "v" + version) return std::move(r);
  return std::nullopt;
}

Expected<std::string> merge_node_index(std::string_view existing, const std::string& where,
                                       const std::vector<NodeIndexRelease>& releases) {
  auto all = mirror_release_array(existing, where, "a node index.json", "v");
  if (!all) return Error{all.error()};
  for (const auto& r : releases) {
    boost::json::object* had = mirror_find_release(*all, "version", "v" + r.version);
    boost::json::array files;
    std::set<std::string> seen;
    if (had)
      for (const auto& f : had->at("files").as_array())
        if (f.is_string() && seen.insert(std::string(f.as_string())).second) files.push_back(f);
    for (const auto& f : r.files)
      if (seen.insert(f).second) files.emplace_back(f);
    boost::json::object entry;
    if (r.upstream) {
      entry = *r.upstream;
    } else if (had) {
      entry = *had;
    }
    entry["version"] = "v" + r.version;
    entry["files"] = std::move(files);
    if (!r.upstream && (!r.lts.empty() || !entry.contains("lts")))
      entry["lts"] = r.lts.empty() ? boost::json::value(false) : boost::json::value(r.lts);
    if (had) {
      *had = std::move(entry);
    } else {
      all->push_back(std::move(entry));
    }
  }
  return mirror_release_lines(std::move(*all), "version", 1);
}

std::optional<bool> go_index_stable(std::string_view index_json, const std::string& version) {
  auto releases = mirror_release_array(index_json, "go index", "a go index", "go");
  if (!releases) return std::nullopt;
  for (const auto& r : *releases)
    if (r.at("version").as_string() == "go" + version)
      if (auto* s = r.if_contains("stable"); s && s->is_bool()) return s->as_bool();
  return std::nullopt;
}

Expected<std::string> merge_go_index(std::string_view existing, const std::string& where,
                                     const std::vector<GoIndexRelease>& releases) {
  auto all = mirror_release_array(existing, where, "a go downloads index", "go");
  if (!all) return Error{all.error()};
  for (const auto& r : releases) {
    const std::string name = "go" + r.version;
    boost::json::object* had = mirror_find_release(*all, "version", name);
    boost::json::array files;
    // An exported archive replaces the folder's file of that name, and its
    // archive for the same os and arch (the backend takes the first it lists).
    auto superseded = [&](const boost::json::value& f) {
      const auto* o = f.if_object();
      auto text_of = [&](const char* k) {
        const auto* v = o ? o->if_contains(k) : nullptr;
        return v && v->is_string() ? std::string(v->as_string()) : std::string();
      };
      for (const auto& e : r.files)
        if (text_of("filename") == e.filename ||
            (text_of("kind") == "archive" && text_of("os") == e.os && text_of("arch") == e.arch))
          return true;
      return false;
    };
    if (had)
      for (const auto& f : had->at("files").as_array())
        if (!superseded(f)) files.push_back(f);
    for (const auto& f : r.files)
      files.push_back(boost::json::object{{"filename", f.filename},
                                          {"os", f.os},
                                          {"arch", f.arch},
                                          {"version", name},
                                          {"sha256", f.sha256},
                                          {"size", f.size},
                                          {"kind", "archive"}});
    bool stable = !resolver::is_prerelease(r.version);
    if (r.stable) {
      stable = *r.stable;
    } else if (had && had->contains("stable") && had->at("stable").is_bool()) {
      stable = had->at("stable").as_bool();
    }
    boost::json::object entry{{"version", name}, {"stable", stable}, {"files", std::move(files)}};
    if (had) {
      *had = std::move(entry);
    } else {
      all->push_back(std::move(entry));
    }
  }
  return mirror_release_lines(std::move(*all), "version", 2);
}

bool sums_cover(std::string_view text, const std::vector<SumLine>& lines) {
  for (const auto& l : lines) {
    std::string hex = backends::core::shasums_lookup(text, l.filename);
    std::transform(hex.begin(), hex.end(), hex.begin(), [](unsigned char c) { return char(std::tolower(c)); });
    if (hex != l.hex) return false;
  }
  return true;
}

std::string merge_sums(std::string_view existing, const std::vector<SumLine>& lines) {
  std::set<std::string_view> replaced;
  for (const auto& l : lines) replaced.insert(l.filename);
  std::string out;
  while (!existing.empty()) {
    std::size_t nl = existing.find('\n');
    std::string_view line = existing.substr(0, nl);
    existing = nl == std::string_view::npos ? std::string_view{} : existing.substr(nl + 1);
    if (line.empty() || replaced.count(mirror_sums_name(line))) continue;
    out.append(line);
    out += '\n';
  }
  for (const auto& l : lines) out += l.hex + "  " + l.filename + "\n";
  return out;
}

Expected<std::string> merge_version_lines(std::string_view existing, const std::string& where,
                                          const std::string& header, const std::vector<std::string>& add) {
  std::vector<std::string> all(add.begin(), add.end());
  int line_no = 0;
  while (!existing.empty()) {
    ++line_no;
    std::size_t nl = existing.find('\n');
    std::string_view line = existing.substr(0, nl);
    existing = nl == std::string_view::npos ? std::string_view{} : existing.substr(nl + 1);
    line = line.substr(0, line.find('#'));
    while (!line.empty() && std::isspace(static_cast<unsigned char>(line.front()))) line.remove_prefix(1);
    while (!line.empty() && std::isspace(static_cast<unsigned char>(line.back()))) line.remove_suffix(1);
    if (line.empty()) continue;
    if (auto st = resolver::validate_version(line); !st)
      return mirror_not_a(where + ":" + std::to_string(line_no), "a list of versions", st.error());
    all.emplace_back(line);
  }
  std::sort(all.begin(), all.end(), [](const auto& a, const auto& b) { return resolver::compare_versions(a, b) < 0; });
  all.erase(std::unique(all.begin(), all.end()), all.end());
  std::string out = header + "\n";
  for (const auto& v : all) out += v + "\n";
  return out;
}

}  // namespace rtx::mirror
