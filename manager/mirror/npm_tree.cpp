#include "manager/mirror/npm_tree.hpp"

#include <dirent.h>
#include <sys/stat.h>

#include <simdjson.h>
#include <algorithm>
#include <set>
#include <utility>

#include "manager/backends/core/npm_registry_client.hpp"
#include "resolver/file_io.hpp"
#include "resolver/version.hpp"

namespace rtx::mirror {
namespace {

// Real folders only: a symlink in node_modules is not something rtx placed.
std::vector<std::string> npm_tree_subdirs(const std::string& dir) {
  std::vector<std::string> out;
  if (DIR* d = ::opendir(dir.c_str())) {
    while (dirent* de = ::readdir(d)) {
      std::string n = de->d_name;
      struct stat st {};
      if (n[0] != '.' && ::lstat((dir + "/" + n).c_str(), &st) == 0 && S_ISDIR(st.st_mode)) out.push_back(n);
    }
    ::closedir(d);
  }
  std::sort(out.begin(), out.end());
  return out;
}

class NpmTreeWalk {
 public:
  Status visit(const std::string& dir) {
    std::string path = dir + "/package.json";
    NpmTreePackage p;
    p.dir = dir;
    if (resolver::read_file(path, p.package_json) != 0) return make_error(path + " is missing: install it again");
    simdjson::dom::parser parser;
    simdjson::padded_string padded(p.package_json);
    simdjson::dom::element doc;
    if (auto err = parser.parse(padded).get(doc))
      return make_error(path + " is not valid JSON (" + simdjson::error_message(err) + "): install it again");
    std::string_view name, version;
    if (doc["name"].get_string().get(name) || doc["version"].get_string().get(version))
      return make_error(path + " has no \"name\" and \"version\": install it again");
    p.name = std::string(name);
    p.version = std::string(version);
    if (std::string bad = backends::core::check_npm_package_name(p.name); !bad.empty())
      return make_error(path + ": " + bad);
    if (auto st = resolver::validate_version(p.version); !st) return make_error(path + ": " + st.error());
    std::set<std::string> bundled = bundled_names(doc);
    if (seen_.insert({p.name, p.version}).second) out_.push_back(std::move(p));

    const std::string modules = dir + "/node_modules";
    for (const auto& entry : npm_tree_subdirs(modules)) {
      std::vector<std::string> names;
      if (entry[0] == '@') {
        for (const auto& inner : npm_tree_subdirs(modules + "/" + entry)) names.push_back(entry + "/" + inner);
      } else {
        names.push_back(entry);
      }
      for (const auto& n : names)
        if (!bundled.count(n))
          if (auto st = visit(modules + "/" + n); !st) return st;
    }
    return ok_status();
  }

  std::vector<NpmTreePackage> take() { return std::move(out_); }

 private:
  // "bundleDependencies": a list of names, or true for every dependency.
  static std::set<std::string> bundled_names(simdjson::dom::element doc) {
    std::set<std::string> out;
    for (const char* key : {"bundleDependencies", "bundledDependencies"}) {
      simdjson::dom::element b;
      if (doc[key].get(b)) continue;
      if (bool all = false; !b.get_bool().get(all) && all) {
        simdjson::dom::object deps;
        if (!doc["dependencies"].get_object().get(deps))
          for (auto [name, value] : deps) out.emplace(name);
      } else if (simdjson::dom::array list; !b.get_array().get(list)) {
        for (auto item : list)
          if (std::string_view n; !item.get_string().get(n)) out.emplace(n);
      }
    }
    return out;
  }

  std::set<std::pair<std::string, std::string>> seen_;
  std::vector<NpmTreePackage> out_;
};

}  // namespace

Expected<std::vector<NpmTreePackage>> npm_tree_packages(const std::string& prefix) {
  NpmTreeWalk walk;
  if (auto st = walk.visit(prefix); !st) return Error{st.error()};
  return walk.take();
}

}  // namespace rtx::mirror
