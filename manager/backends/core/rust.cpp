#include "manager/backends/core/rust.hpp"

#include <algorithm>
#include <cctype>

#include "manager/backends/asdf_plugin.hpp"
#include "manager/backends/core/fetch.hpp"
#include "manager/backends/core/mirror_path.hpp"
#include "manager/util/modes.hpp"
#include "manager/util/process_runner.hpp"
#include "resolver/toml.hpp"
#include "resolver/toml_guard.hpp"
#include "resolver/version.hpp"
#include "resolver/version_spec.hpp"

namespace rtx::backends::core {
namespace {

constexpr const char* kRustMirrorVar = "RTX_RUST_MIRROR";
constexpr const char* kRustUpstream = "https://static.rust-lang.org";
constexpr const char* kRustHint = "check the version or the mirror (RTX_RUST_MIRROR)";

std::string at_line(const std::string& source, const toml::source_region& where) {
  return source + ":" + std::to_string(where.begin.line) + ": ";
}

// A mirror without the optional file answers 404 (http) or cannot read it (file://).
bool is_not_found(const std::string& error) {
  return error.find("HTTP 404") != std::string::npos || error.find("HTTP 410") != std::string::npos ||
         error.find("Couldn't read a file") != std::string::npos;
}

class RustBackend final : public Backend {
 public:
  explicit RustBackend(BackendEnv env) : env_(std::move(env)), mirror_(mirror(kRustMirrorVar, kRustUpstream)) {}

  std::string describe() const override { return "core backend rust (" + mirror_ + ")"; }

  Expected<std::vector<std::string>> list_remote() override {
    auto stable = release("stable", "");
    if (!stable) return Error{stable.error()};
    std::vector<std::string> out{stable->version};
    std::string url = mirror_ + "/versions.txt";
    auto text = fetch_text(env_, url, kRustHint);
    if (!text && !is_not_found(text.error())) return Error{text.error()};
    if (text) {
      std::size_t pos = 0;
      while (pos < text->size()) {
        std::size_t nl = text->find('\n', pos);
        std::string line = text->substr(pos, nl == std::string::npos ? std::string::npos : nl - pos);
        pos = nl == std::string::npos ? text->size() : nl + 1;
        line = line.substr(0, line.find('#'));
        line.erase(std::remove_if(line.begin(), line.end(), [](unsigned char c) { return std::isspace(c); }),
                   line.end());
        if (line.empty()) continue;
        if (auto st = resolver::validate_version(line); !st)
          return make_error(url + ": '" + line + "' is not a version: " + st.error() + ": check " + kRustMirrorVar);
        out.push_back(line);
      }
    }
    std::sort(out.begin(), out.end(),
              [](const auto& a, const auto& b) { return resolver::compare_versions(a, b) < 0; });
    out.erase(std::unique(out.begin(), out.end()), out.end());
    return out;
  }

  Expected<std::string> latest_stable(const std::string& prefix) override {
    if (!prefix.empty()) return std::string();  // list_remote decides among the prefix's matches
    auto stable = release("stable", "");
    if (!stable) return Error{stable.error()};
    return stable->version;
  }

  // Upstream keeps channel-rust-<version>.toml for every release (and
  // channel-rust-1.75.toml for the newest 1.75.x), listed or not.
  Expected<std::string> find_unlisted(const std::string& spec) override {
    if (spec.empty() || spec[0] < '0' || spec[0] > '9') return std::string();
    auto rel = release(spec, "");
    if (!rel) {
      if (is_not_found(rel.error())) return std::string();
      return Error{rel.error()};
    }
    resolver::VersionSpec want{resolver::SpecKind::Version, spec};
    if (!resolver::spec_matches(want, rel->version))
      return make_error(manifest_url(spec) + " describes rust " + rel->version + ", not " + spec + ": check " +
                        kRustMirrorVar);
    return rel->version;
  }

  Status install(const InstallRequest& req) override {
    std::string url;
    net::Checksum sum;
    ChecksumOrigin origin = ChecksumOrigin::index;
    if (!req.locked_url.empty()) {
      // Locked (DESIGN.md §11): the lock's URL on this mirror, the lock's checksum; no manifest is read.
      auto locked = locked_artifact(req, kRustUpstream, mirror_);
      if (!locked) return Error{locked.error()};
      url = locked->url;
      sum = locked->checksum;
      origin = ChecksumOrigin::lock;
    } else {
      auto rel = release(req.version, rust_host_triple());
      if (!rel) return Error{rel.error()};
      if (rel->version != req.version)
        return make_error(manifest_url(req.version) + " describes rust " + rel->version + ", not " + req.version +
                          ": check " + kRustMirrorVar);
      auto hex = net::checksum_from_hex(net::HashAlgorithm::sha256, rel->sha256);
      if (!hex)
        return make_error(manifest_url(req.version) + ": the hash of " + rel->url + " is not a sha256: " + hex.error() +
                          ": check " + kRustMirrorVar);
      url = on_mirror(rel->url);
      sum = *hex;
    }
    // The tarball is only an installer: it goes to scratch space, its
    // install.sh writes the prefix (which never moves, DESIGN.md §2).
    std::string scratch = req.download_path + "/rust-installer";
    if (auto st = fetch_and_extract(env_, url, sum, scratch, 1, kRustHint, {}, 2, origin); !st) return st;
    auto timeout = timeouts_from_env().install;
    util::RunSpec spec;
    spec.argv = {scratch + "/install.sh", "--prefix=" + req.install_path, "--disable-ldconfig"};
    spec.cwd = scratch;
    spec.timeout = timeout;
    spec.stdout_to_stderr = true;
    auto r = util::run_process(spec);
    if (!r.ok())
      return make_error("rust " + req.version + ": install.sh of " + url + " " + r.describe(timeout) +
                        ": see its output above");
    // install.sh writes with the user's umask, not through our extraction (DESIGN.md §2).
    return util::mask_tree_modes(req.install_path);
  }

  // From channel-rust-<version>.toml: the rust package's tarball (xz_url,
  // else url) for each platform's triple, recorded on the upstream host.
  Expected<std::vector<Artifact>> lock_artifacts(const std::string& version,
                                                 const std::vector<std::string>& platforms) override {
    auto wanted = lock_platforms(platforms);
    if (!wanted) return Error{wanted.error()};
    std::vector<std::string> triples;
    for (const auto& p : *wanted) triples.push_back(p.triple);
    std::string source = manifest_url(version);
    auto text = fetch_text(env_, source, kRustHint);
    if (!text) return Error{text.error()};
    auto parsed = parse_rust_targets(*text, source, triples);
    if (!parsed) return Error{parsed.error()};
    if (parsed->version != version)
      return make_error(source + " describes rust " + parsed->version + ", not " + version + ": check " +
                        kRustMirrorVar);
    std::vector<Artifact> out;
    for (const auto& p : *wanted) {
      auto t = std::find_if(parsed->targets.begin(), parsed->targets.end(),
                            [&](const RustTarget& x) { return x.triple == p.triple; });
      if (t == parsed->targets.end()) continue;  // no build for it
      auto sum = net::checksum_from_hex(net::HashAlgorithm::sha256, t->sha256);
      if (!sum)
        return make_error(source + ": the hash of " + t->url + " is not a sha256: " + sum.error() + ": check " +
                          kRustMirrorVar);
      // A mirror that rewrote its manifests to name itself: back to upstream.
      out.push_back({p.name, to_upstream(t->url, mirror_, kRustUpstream), *sum, std::nullopt});
    }
    return out;
  }

  Expected<resolver::BuildMeta> describe_build(const InstallRequest&) override { return bin_dir_meta(); }

  Status smoke_test(const InstallRequest& req, const resolver::BuildMeta&) override {
    return run_smoke("rust", req.version, req.install_path, "rustc", "--version");
  }

 private:
  std::string manifest_url(const std::string& channel) const {
    return mirror_ + "/dist/channel-rust-" + channel + ".toml";
  }

  // Manifests name their tarballs on the upstream host; like rustup with
  // RUSTUP_DIST_SERVER, a mirror serves them under its own base URL.
  std::string on_mirror(const std::string& url) const { return under_mirror(url, kRustUpstream, mirror_); }

  Expected<RustRelease> release(const std::string& channel, const std::string& triple) {
    std::string url = manifest_url(channel);
    auto text = fetch_text(env_, url, kRustHint);
    if (!text) return Error{text.error()};
    return parse_rust_manifest(*text, url, triple);
  }

  BackendEnv env_;
  std::string mirror_;
};

}  // namespace

std::string rust_host_triple() { return gnu_arch() + "-unknown-linux-gnu"; }

Expected<RustTargets> parse_rust_targets(const std::string& text, const std::string& source,
                                         const std::vector<std::string>& triples) {
  std::string fix = std::string(": check ") + kRustMirrorVar;
  if (std::string bad = resolver::toml_text_problem(text, source); !bad.empty()) return make_error(bad + fix);
  toml::parse_result parsed = toml::parse(text, source);
  if (!parsed) {
    const auto& err = parsed.error();
    return make_error(at_line(source, err.source()) + "invalid TOML: " + std::string(err.description()) + fix);
  }
  const toml::table& root = parsed.table();
  toml::node_view<const toml::node> rust = root["pkg"]["rust"];
  auto version = rust["version"].value<std::string>();
  if (!rust.is_table() || !version || version->empty())
    return make_error(source + ": no [pkg.rust] with a version: not a rust channel manifest" + fix);
  RustTargets out;
  out.version = version->substr(0, version->find(' '));
  if (auto st = resolver::validate_version(out.version); !st)
    return make_error(source + ": pkg.rust.version '" + *version + "': " + st.error() + fix);

  for (const auto& triple : triples) {
    toml::node_view<const toml::node> target = rust["target"][triple];
    if (!target.is_table() || !target["available"].value_or(false)) continue;
    auto url = target["xz_url"].value<std::string>();
    auto hash = target["xz_hash"].value<std::string>();
    if (!url || !hash) {  // older manifests: gzip only
      url = target["url"].value<std::string>();
      hash = target["hash"].value<std::string>();
    }
    if (!url || !hash || url->empty() || hash->empty())
      return make_error(at_line(source, target.node()->source()) + "[pkg.rust.target." + triple +
                        "] has no xz_url/xz_hash (nor url/hash)" + fix);
    out.targets.push_back({triple, *url, *hash});
  }
  return out;
}

Expected<RustRelease> parse_rust_manifest(const std::string& text, const std::string& source,
                                          const std::string& triple) {
  auto parsed = parse_rust_targets(text, source, triple.empty() ? std::vector<std::string>{} : std::vector{triple});
  if (!parsed) return Error{parsed.error()};
  RustRelease out;
  out.version = parsed->version;
  if (triple.empty()) return out;
  if (parsed->targets.empty())
    return make_error("rust " + out.version + " has no build for " + triple + " in " + source +
                      ": this machine is not supported by that release, or the mirror is incomplete: check " +
                      kRustMirrorVar);
  out.url = parsed->targets[0].url;
  out.sha256 = parsed->targets[0].sha256;
  return out;
}

std::unique_ptr<Backend> make_rust_backend(const BackendEnv& env) { return std::make_unique<RustBackend>(env); }

}  // namespace rtx::backends::core
