#include "manager/backends/core/npm_dependencies.hpp"

#include <unistd.h>

#include <simdjson.h>
#include <algorithm>
#include <cctype>
#include <map>
#include <set>

#include "manager/backends/core/npm_semver.hpp"
#include "manager/util/fs.hpp"
#include "manager/util/log.hpp"
#include "manager/util/parallel.hpp"
#include "resolver/file_io.hpp"

namespace rtx::backends::core {
namespace {

// A runaway tree (or a hostile registry) stops here.
constexpr std::size_t kMaxPackages = 5000;

struct Wanted {
  std::string dependent;  // the folder of the package asking
  std::string name;       // its folder name under node_modules: "a", "@s/b"
  std::string spec;       // "^1.2.0", "latest", "npm:real@^2"
  bool optional = false;
  std::string chain;  // "npm:eslint 9.1.0 > ajv" for messages
};

struct Manifest {
  std::string version;
  NpmDependencies dependencies;  // optional ones included, marked below
  std::set<std::string> optional;
};

Expected<Manifest> read_manifest(const std::string& dir) {
  std::string path = dir + "/package.json";
  std::string text;
  if (resolver::read_file(path, text) != 0) return make_error(path + " is missing: the package is broken");
  simdjson::dom::parser parser;
  simdjson::dom::element doc;
  if (auto err = parser.parse(text).get(doc); err)
    return make_error(path + " is not valid JSON (" + simdjson::error_message(err) + "): the package is broken");
  Manifest m;
  if (std::string_view v; !doc["version"].get_string().get(v)) m.version = std::string(v);
  for (const char* key : {"dependencies", "optionalDependencies"}) {
    simdjson::dom::object obj;
    if (doc[key].get_object().get(obj)) continue;
    bool optional = key[0] == 'o';
    for (auto [name, value] : obj) {
      std::string_view spec;
      if (value.get_string().get(spec)) continue;
      std::string n(name);
      if (optional) m.optional.insert(n);
      bool seen = false;  // npm lists optional ones under both keys; the optional entry wins
      for (auto& [dn, ds] : m.dependencies)
        if (dn == n) ds = std::string(spec), seen = true;
      if (!seen) m.dependencies.emplace_back(n, std::string(spec));
    }
  }
  return m;
}

// npm dist-tags are plain words ("latest", "next", "beta"); git, file and URL
// specs never are.
bool could_be_a_tag(std::string_view spec) {
  if (spec.empty()) return false;
  for (char c : spec)
    if (!std::isalnum(static_cast<unsigned char>(c)) && c != '-' && c != '_' && c != '.') return false;
  return true;
}

std::string parent_dir(const std::string& path) { return path.substr(0, path.rfind('/')); }

// How many registry requests run at once (npm's own default is 15 sockets).
constexpr std::size_t kParallel = 8;

// One dependency whose copy goes into `dest`.
struct Placement {
  Wanted wanted;
  const NpmPackument* doc = nullptr;
  std::string version;
  std::string dest;
};

// Breadth first, a level at a time: the level's documents are fetched in
// parallel, the placements decided in order (so the layout does not depend on
// timing), the tarballs fetched in parallel, then the next level is read from
// their package.json files.
class Installer {
 public:
  Installer(NpmRegistryClient& client, std::string prefix) : client_(client), prefix_(std::move(prefix)) {}

  Expected<int> run(const std::string& label) {
    std::vector<Wanted> level;
    if (auto st = deps_of(prefix_, label, level); !st) return Error{st.error()};
    while (!level.empty()) {
      prefetch_documents(level);
      std::vector<Placement> placements;
      for (const Wanted& w : level) {
        auto p = decide(w);
        if (!p) {
          if (!w.optional) return Error{p.error()};
          note("skipped the optional dependency " + w.chain + ": " + p.error());
        } else if (*p) {
          placements.push_back(std::move(**p));
        }
      }
      if (placed_.size() > kMaxPackages)
        return make_error(label + ": more than " + std::to_string(kMaxPackages) +
                          " dependencies: refusing a tree this large");
      std::vector<Status> fetched(placements.size(), ok_status());
      pool_.run(placements.size(), [&](std::size_t i) { fetched[i] = fetch(placements[i]); });
      std::vector<Wanted> next;
      for (std::size_t i = 0; i < placements.size(); ++i) {
        const Placement& p = placements[i];
        Status st = fetched[i] ? deps_of(p.dest, p.wanted.chain + " " + p.version, next) : fetched[i];
        if (st) continue;
        if (!p.wanted.optional) return Error{st.error()};
        placed_.erase(p.dest);
        note("skipped the optional dependency " + p.wanted.chain + ": " + st.error());
      }
      level = std::move(next);
    }
    return static_cast<int>(placed_.size());
  }

 private:
  static void note(const std::string& line) { util::log_warn(line); }

  Status deps_of(const std::string& dir, const std::string& chain, std::vector<Wanted>& out) {
    auto m = read_manifest(dir);
    if (!m) return Error{m.error()};
    for (const auto& [name, spec] : m->dependencies) {
      if (!check_npm_package_name(name).empty())
        return make_error(chain + " depends on '" + name +
                          "', which is not an npm package name: the package is broken");
      out.push_back(Wanted{dir, name, spec, m->optional.count(name) > 0, chain + " > " + name});
    }
    return ok_status();
  }

  // "npm:real@range" aliases name another package; everything else names itself.
  static std::pair<std::string, std::string> package_and_spec(const Wanted& w) {
    if (w.spec.rfind("npm:", 0) != 0) return {w.name, w.spec};
    std::size_t at = w.spec.find('@', 5);
    return {w.spec.substr(4, at == std::string::npos ? std::string::npos : at - 4),
            at == std::string::npos ? "*" : w.spec.substr(at + 1)};
  }

  // Warms the client's documents for the level (errors surface in decide()).
  void prefetch_documents(const std::vector<Wanted>& level) {
    std::vector<std::string> packages;
    for (const Wanted& w : level) {
      std::string package = package_and_spec(w).first;
      if (std::find(packages.begin(), packages.end(), package) == packages.end()) packages.push_back(package);
    }
    pool_.run(packages.size(), [&](std::size_t i) { (void)client_.packument(packages[i]); });
  }

  Status fetch(const Placement& p) {  // on a worker thread: its folder was made by decide()
    if (auto st = client_.fetch_package(*p.doc, p.version, p.dest, -1); !st)
      return make_error("npm:" + p.doc->package + " " + p.version + " (needed by " + p.wanted.chain +
                        "): " + st.error());
    return ok_status();
  }

  // The copy of `name` node would load from `dependent`: the first
  // <dir>/node_modules/<name> walking up to the prefix ("" when none), counting
  // the copies this run decided to place.
  std::string visible_copy(const std::string& dependent, const std::string& name) const {
    for (std::string dir = dependent;; dir = parent_dir(dir)) {
      bool is_node_modules = dir.size() >= 13 && dir.compare(dir.size() - 13, 13, "/node_modules") == 0;
      std::string copy = dir + "/node_modules/" + name;
      if (!is_node_modules && (placed_.count(copy) || util::exists(copy + "/package.json"))) return copy;
      if (dir.size() <= prefix_.size()) return {};
    }
  }

  // Where `w` goes, or nullopt when a visible copy serves it or its platform
  // is another machine's.
  Expected<std::optional<Placement>> decide(const Wanted& w) {
    auto [package, spec] = package_and_spec(w);
    std::string found = visible_copy(w.dependent, w.name);
    if (!found.empty() && !placed_.count(found)) return std::optional<Placement>();  // bundled: npm uses it as is

    std::optional<NpmRange> range;
    if (auto r = parse_npm_range(spec)) range = std::move(*r);
    if (!found.empty() && range && npm_satisfies(*range, placed_.at(found))) return std::optional<Placement>();
    if (!range && !could_be_a_tag(spec))
      return make_error(w.chain + " asks for '" + spec +
                        "', which is neither a version range nor a dist-tag: rtx installs registry dependencies only "
                        "(no git, file or URL specs)");
    auto doc = client_.packument(package);
    if (!doc) return make_error("needed by " + w.chain + ": " + doc.error());
    auto version = pick_version(**doc, spec, range, w);
    if (!version) return Error{version.error()};
    if (std::string other = npm_platform_mismatch(**doc, *version); !other.empty()) {
      if (w.optional) return std::optional<Placement>();  // a platform package for another machine: npm skips it
      return make_error(other + " (needed by " + w.chain + "): the package does not support this machine");
    }

    Placement p{w, *doc, *version, (found.empty() ? prefix_ : w.dependent) + "/node_modules/" + w.name};
    if (auto st = util::make_dirs(parent_dir(p.dest)); !st) return Error{st.error()};
    placed_[p.dest] = *version;
    return std::optional<Placement>(std::move(p));
  }

  // A dist-tag, else the newest version in the range (dist-tags.latest first,
  // as npm prefers it when it satisfies).
  Expected<std::string> pick_version(const NpmPackument& doc, const std::string& spec,
                                     const std::optional<NpmRange>& range, const Wanted& w) const {
    if (auto tag = doc.dist_tags.find(spec); tag != doc.dist_tags.end() && doc.versions.count(tag->second))
      return tag->second;
    if (!range)
      return make_error(w.chain + " asks for '" + spec + "', which is neither a version range nor a dist-tag of " +
                        doc.where() + ": rtx installs registry dependencies only (no git, file or URL specs)");
    if (auto latest = doc.dist_tags.find("latest");
        latest != doc.dist_tags.end() && doc.versions.count(latest->second) && npm_satisfies(*range, latest->second))
      return latest->second;
    std::vector<std::string> all;
    for (const auto& [v, info] : doc.versions) all.push_back(v);
    if (auto best = npm_max_satisfying(all, *range)) return *best;
    return make_error("no version of npm:" + doc.package + " matches '" + spec + "' (needed by " + w.chain + ") in " +
                      doc.where());
  }

  NpmRegistryClient& client_;
  std::string prefix_;
  util::WorkerPool pool_{kParallel};           // its threads keep their connections from level to level
  std::map<std::string, std::string> placed_;  // folder -> version, of what this run places
};

}  // namespace

Expected<int> install_npm_dependencies(NpmRegistryClient& client, const std::string& prefix, const std::string& label) {
  Installer installer(client, prefix);
  return installer.run(label);
}

}  // namespace rtx::backends::core
