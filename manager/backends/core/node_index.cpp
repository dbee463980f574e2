#include "manager/backends/core/node_index.hpp"

#include <simdjson.h>

#include <algorithm>

#include "resolver/version.hpp"

namespace rtx::backends::core {
namespace {

std::string lower(std::string_view s) {
  std::string out(s);
  for (char& c : out)
    if (c >= 'A' && c <= 'Z') c = char(c - 'A' + 'a');
  return out;
}

Error bad_node_index(const std::string& url, std::string_view why) {
  return make_error(url + " is not valid node index JSON (" + std::string(why) + "): check RTX_NODE_MIRROR");
}

}  // namespace

Expected<std::vector<NodeRelease>> parse_node_index(std::string_view json, const std::string& file_key,
                                                    const std::string& url) {
  simdjson::dom::parser parser;
  simdjson::padded_string padded(json);
  simdjson::dom::element doc;
  if (auto err = parser.parse(padded).get(doc)) return bad_node_index(url, simdjson::error_message(err));
  simdjson::dom::array items;
  if (doc.get_array().get(items)) return bad_node_index(url, "not an array of releases");

  std::vector<NodeRelease> out;
  for (simdjson::dom::element item : items) {
    std::string_view version;
    if (item["version"].get_string().get(version) || version.size() < 2 || version[0] != 'v')
      return bad_node_index(url, "a release without a \"version\" like \"v20.11.1\"");
    simdjson::dom::array files;
    if (item["files"].get_array().get(files))
      return bad_node_index(url, "release " + std::string(version) + " has no \"files\" array");
    bool built = false;
    for (simdjson::dom::element f : files) {
      std::string_view name;
      if (!f.get_string().get(name) && name == file_key) built = true;
    }
    if (!built) continue;
    NodeRelease r;
    r.version = std::string(version.substr(1));
    if (!resolver::validate_version(r.version)) return bad_node_index(url, "version " + std::string(version));
    std::string_view codename;
    if (!item["lts"].get_string().get(codename)) r.lts = std::string(codename);  // else false (or absent)
    out.push_back(std::move(r));
  }
  std::stable_sort(out.begin(), out.end(), [](const NodeRelease& a, const NodeRelease& b) {
    return resolver::compare_versions(a.version, b.version) < 0;
  });
  return out;
}

Expected<std::string> pick_node_lts(const std::vector<NodeRelease>& releases, std::string_view spec,
                                    const std::string& url) {
  std::string s = lower(spec);
  std::string codename;
  if (s == "lts") {
    codename = "*";
  } else if (s.size() > 4 && (s.rfind("lts-", 0) == 0 || s.rfind("lts/", 0) == 0)) {
    codename = s.substr(4);
  } else {
    return std::string();
  }
  for (auto it = releases.rbegin(); it != releases.rend(); ++it)
    if (!it->lts.empty() && (codename == "*" || lower(it->lts) == codename)) return it->version;
  std::string known;
  for (auto it = releases.rbegin(); it != releases.rend(); ++it) {
    std::string name = lower(it->lts);
    if (!name.empty() && known.find(" " + name + ",") == std::string::npos) known += " " + name + ",";
  }
  if (!known.empty()) known.pop_back();
  return make_error("no node LTS release " + (codename == "*" ? std::string("at all") : "named '" + codename + "'") +
                    " in " + url + ": known LTS lines:" + (known.empty() ? " none" : known));
}

std::vector<std::string> node_aliases(const NodeRelease& release) {
  if (release.lts.empty()) return {};
  return {"lts", "lts-" + lower(release.lts)};
}

std::string shasums_lookup(std::string_view text, std::string_view filename) {
  while (!text.empty()) {
    std::size_t nl = text.find('\n');
    std::string_view line = text.substr(0, nl);
    text = nl == std::string_view::npos ? std::string_view{} : text.substr(nl + 1);
    if (!line.empty() && line.back() == '\r') line.remove_suffix(1);
    std::size_t sp = line.find(' ');
    if (sp == std::string_view::npos) continue;
    std::string_view name = line.substr(sp);
    while (!name.empty() && (name.front() == ' ' || name.front() == '*')) name.remove_prefix(1);  // "*": binary mode
    if (name == filename) return std::string(line.substr(0, sp));
  }
  return std::string();
}

}  // namespace rtx::backends::core
