// The packages and tarballs of npm tools to export (prepare.hpp).
#include <unistd.h>

#include <algorithm>
#include <atomic>
#include <set>

#include "manager/archive/extract.hpp"
#include "manager/backends/core/mirror_path.hpp"
#include "manager/backends/core/npm_dependencies.hpp"
#include "manager/backends/core/npm_registry_client.hpp"
#include "manager/mirror/artifact_cache.hpp"
#include "manager/mirror/npm_tree.hpp"
#include "manager/mirror/prepare.hpp"
#include "manager/net/downloader.hpp"
#include "manager/util/fs.hpp"
#include "manager/verify/npm_signature.hpp"
#include "resolver/file_io.hpp"

namespace rtx::mirror {
namespace {

namespace core = backends::core;

// A scratch folder under $RTX_CACHE_DIR/tmp, removed with everything in it.
class NpmScratch {
 public:
  explicit NpmScratch(const std::string& cache_dir) {
    static std::atomic<unsigned> counter{0};
    path_ = cache_dir + "/tmp/mirror-npm-" + std::to_string(::getpid()) + "-" + std::to_string(counter++);
  }
  ~NpmScratch() { (void)util::remove_tree(path_); }
  NpmScratch(const NpmScratch&) = delete;
  NpmScratch& operator=(const NpmScratch&) = delete;
  const std::string& path() const { return path_; }

 private:
  std::string path_;
};

// Where the npm registry keeps a version's tarball, and so the mirror:
// <name>/-/<unscoped name>-<version>.tgz.
std::string npm_tarball_rel(const std::string& name, const std::string& version) {
  return name + "/-/" + core::npm_unscoped(name) + "-" + version + ".tgz";
}

class NpmPreparer {
 public:
  explicit NpmPreparer(const ExportOptions& options) : options_(options), client_(options.env) {}

  // One tool: its tree's packages into set_.
  Status add(const Wanted& w, std::vector<std::string>& exported) {
    const std::string what = w.tool + " " + w.version;
    std::optional<PreparedArtifact> locked_root;
    NpmScratch scratch(options_.env.cache_dir);
    std::string root = w.entry_path;
    if (w.from_lock) {
      if (w.locked.empty()) return ok_status();  // a lock entry with a version only
      auto got = tarball(what, w.package, w.locked.front().url, w.locked.front().checksum, core::ChecksumOrigin::lock);
      if (!got) return Error{got.error()};
      locked_root = *got;
      // The locked tarball and the dependencies an install of it would
      // resolve through the registry today: what the fleet's install will ask for.
      root = scratch.path() + "/package";
      if (auto st = util::make_dirs(scratch.path()); !st) return st;
      archive::ExtractRequest x;
      x.archive = got->path;
      x.destination = root;
      x.strip_components = 1;
      if (auto done = archive::extract(x); !done) return Error{"cannot export " + what + ": " + done.error()};
      auto deps = core::install_npm_dependencies(client_, root, what);
      if (!deps) return Error{"cannot export " + what + ": " + deps.error()};
    }
    auto packages = npm_tree_packages(root);
    if (!packages) return Error{"cannot export " + what + ": " + packages.error()};
    for (std::size_t i = 0; i < packages->size(); ++i) {
      const NpmTreePackage& p = (*packages)[i];
      if (!seen_.insert(p.name + "@" + p.version).second) continue;
      PreparedNpm out{p.name, p.version, p.package_json, p.dir + "/package.json", {}, {}, {}, std::nullopt};
      if (i == 0 && locked_root) {
        out.tarball = *locked_root;
        // The registry's own dist (signatures, publish time, tags) when it
        // still has these very bytes; else the lock's checksum alone.
        if (auto doc = client_.packument(p.name); doc && (*doc)->versions.count(p.version))
          if (auto sum = client_.integrity_of(**doc, p.version); sum && *sum == locked_root->checksum)
            take_dist(**doc, out);
      } else {
        auto doc = client_.packument(p.name);
        if (!doc) return Error{"cannot export " + what + ": " + doc.error()};
        if (!(*doc)->versions.count(p.version))
          return make_error("cannot export " + what + ": npm:" + p.name + " " + p.version + " (in " + p.dir +
                            ") is not in " + (*doc)->where() + ": export on a machine whose registry has it");
        auto sum = client_.integrity_of(**doc, p.version);
        if (!sum) return Error{"cannot export " + what + ": " + sum.error()};
        auto artifact =
            tarball(what, p.name, (*doc)->versions.at(p.version).dist.tarball, *sum, core::ChecksumOrigin::index);
        if (!artifact) return Error{artifact.error()};
        out.tarball = std::move(*artifact);
        take_dist(**doc, out);
      }
      out.tarball.rel = npm_tarball_rel(p.name, p.version);
      set_.packages.push_back(std::move(out));
    }
    std::size_t deps = packages->size() - 1;
    exported.push_back(
        what + (deps ? " (+" + std::to_string(deps) + (deps == 1 ? " dependency)" : " dependencies)") : std::string()));
    return ok_status();
  }

  // The registry's signing keys, when an exported version carries signatures:
  // the fleet's install checks them against the mirror's copy of the keys.
  void add_keys(std::vector<std::string>& notes) {
    auto signed_package = std::find_if(set_.packages.begin(), set_.packages.end(),
                                       [](const PreparedNpm& p) { return !p.signatures.empty(); });
    if (signed_package == set_.packages.end()) return;
    auto registry = core::npm_registry(signed_package->name);
    if (!registry) return;
    const std::string url = registry->url + "/-/npm/v1/keys";
    NpmScratch scratch(options_.env.cache_dir);
    net::DownloadRequest req;
    req.url = url;
    req.dest = scratch.path() + "/keys.json";
    req.headers = core::npm_request_headers(*registry, url);
    req.progress_fd = -1;
    req.max_bytes = std::uint64_t{1} << 20;
    std::string text;
    auto got = net::download(req);
    std::string why = !got ? got.error() : resolver::read_file(got->path, text) != 0 ? util::errno_text() : "";
    if (why.empty())
      if (auto keys = verify::parse_npm_keys(text, url); !keys) why = keys.error();
    if (!why.empty()) {
      notes.push_back("the npm signatures are exported but not the registry's keys (" + why +
                      "): a fleet with RTX_NPM_SIGNATURES=require cannot install from this mirror");
      return;
    }
    set_.keys = std::move(text);
  }

  PreparedNpmSet take() { return std::move(set_); }

 private:
  // What the registry published for `out`'s version besides the tarball.
  void take_dist(const core::NpmPackument& doc, PreparedNpm& out) {
    const core::NpmVersion& v = doc.versions.at(out.version);
    out.integrity = v.dist.integrity;
    out.signatures = v.dist.signatures;
    out.published = v.published;
    for (const auto& [tag, version] : doc.dist_tags) set_.tags[out.name][tag] = version;
  }

  Expected<PreparedArtifact> tarball(const std::string& what, const std::string& package, const std::string& url,
                                     const net::Checksum& sum, core::ChecksumOrigin origin) {
    if (url.rfind("https://", 0) != 0 && url.rfind("http://", 0) != 0)
      return make_error("cannot export " + what + ": the tarball of npm:" + package + " is '" + url +
                        "', not an http(s) URL");
    auto registry = core::npm_registry(package);
    if (!registry) return Error{registry.error()};
    // npm's replace-registry-host: a tarball on registry.npmjs.org comes from the registry configured here.
    std::string fetch = core::under_mirror(url, core::kNpmUpstreamRegistry, registry->url);
    ArtifactSource src{"npm:" + package + " (for " + what + ")",
                       url,
                       fetch,
                       sum,
                       origin,
                       core::npm_request_headers(*registry, fetch),
                       "check the registry " + registry->url + " (from " + registry->source + ")"};
    auto path = cached_artifact(options_.env.cache_dir, src);
    if (!path) return Error{path.error()};
    return PreparedArtifact{"", url, "", sum, *path};
  }

  const ExportOptions& options_;
  core::NpmRegistryClient client_;
  std::set<std::string> seen_;
  PreparedNpmSet set_;
};

}  // namespace

Expected<PreparedNpmSet> prepare_npm(const ExportOptions& options, const std::vector<const Wanted*>& wanted,
                                     std::vector<std::string>& exported, std::vector<std::string>& notes) {
  NpmPreparer preparer(options);
  for (const Wanted* w : wanted)
    if (auto st = preparer.add(*w, exported); !st) return Error{st.error()};
  preparer.add_keys(notes);
  return preparer.take();
}

}  // namespace rtx::mirror
