#include "manager/backends/core/python.hpp"

#include <algorithm>
#include <cctype>
#include <cstdlib>
#include <optional>
#include <vector>

#include "manager/backends/asdf_plugin.hpp"
#include "manager/backends/core/fetch.hpp"
#include "manager/backends/core/mirror_path.hpp"
#include "manager/util/process_runner.hpp"
#include "resolver/version.hpp"

namespace rtx::backends::core {
namespace {

constexpr const char* kPythonMirrorVar = "RTX_PYTHON_MIRROR";
constexpr const char* kPythonUpstream = "https://github.com/indygreg/python-build-standalone/releases/download";
constexpr const char* kPythonHint = "check the version or the mirror (RTX_PYTHON_MIRROR)";
// Used only with the upstream mirror, which has no releases.txt; newer tags
// are a RTX_PYTHON_RELEASES away.
constexpr const char* kDefaultReleases[] = {"20241016"};

std::vector<std::string> python_words(std::string_view text, std::string_view separators) {
  std::vector<std::string> out;
  std::size_t i = 0;
  while (i < text.size()) {
    while (i < text.size() && separators.find(text[i]) != std::string_view::npos) ++i;
    std::size_t start = i;
    while (i < text.size() && separators.find(text[i]) == std::string_view::npos) ++i;
    if (i > start) out.emplace_back(text.substr(start, i - start));
  }
  return out;
}

// One release's SHA256SUMS as fetched.
struct PythonSumsFile {
  std::string tag, url, text;
};

class PythonBackend final : public Backend {
 public:
  explicit PythonBackend(BackendEnv env) : env_(std::move(env)), mirror_(mirror(kPythonMirrorVar, kPythonUpstream)) {}

  std::string describe() const override { return "core backend python (" + mirror_ + ")"; }

  Expected<std::vector<std::string>> list_remote() override {
    auto index = artifacts();
    if (!index) return Error{index.error()};
    std::vector<std::string> out;
    for (const auto& [version, artifact] : **index) out.push_back(version);
    std::sort(out.begin(), out.end(),
              [](const auto& a, const auto& b) { return resolver::compare_versions(a, b) < 0; });
    return out;
  }

  Expected<std::string> latest_stable(const std::string&) override { return std::string(); }

  Status install(const InstallRequest& req) override {
    if (!req.locked_url.empty()) {
      // Locked (DESIGN.md §11): the lock's URL on this mirror, the lock's checksum; no SHA256SUMS is read.
      auto locked = locked_artifact(req, kPythonUpstream, mirror_);
      if (!locked) return Error{locked.error()};
      return fetch_and_extract(env_, locked->url, locked->checksum, req.install_path, 1, kPythonHint, {}, 2,
                               ChecksumOrigin::lock);
    }
    auto index = artifacts();
    if (!index) return Error{index.error()};
    auto it = (*index)->find(req.version);
    if (it == (*index)->end())
      return make_error("python " + req.version + " for " + gnu_arch() +
                        " is in the SHA256SUMS of none of the releases " + tags_text_ + " on " + mirror_ + ": " +
                        kPythonHint);
    const PythonArtifact& a = it->second;
    auto sum = net::checksum_from_hex(net::HashAlgorithm::sha256, a.sha256);
    if (!sum) return make_error(mirror_ + "/" + a.tag + "/SHA256SUMS: " + a.filename + ": " + sum.error());
    // The tarball holds python/{bin,lib,…}: its contents are the prefix.
    return fetch_and_extract(env_, mirror_ + "/" + a.tag + "/" + a.filename, *sum, req.install_path, 1, kPythonHint);
  }

  // Per platform, the build install() would take there: the newest release's
  // install_only tarball for that platform's triple.
  Expected<std::vector<Artifact>> lock_artifacts(const std::string& version,
                                                 const std::vector<std::string>& platforms) override {
    auto wanted = lock_platforms(platforms);
    if (!wanted) return Error{wanted.error()};
    std::vector<Artifact> out;
    for (const auto& p : *wanted) {
      auto index = artifacts_for(p.triple);
      if (!index) return Error{index.error()};
      auto it = index->find(version);
      if (it == index->end()) continue;  // no build for it
      const PythonArtifact& a = it->second;
      auto sum = net::checksum_from_hex(net::HashAlgorithm::sha256, a.sha256);
      if (!sum) return make_error(mirror_ + "/" + a.tag + "/SHA256SUMS: " + a.filename + ": " + sum.error());
      out.push_back({p.name, std::string(kPythonUpstream) + "/" + a.tag + "/" + a.filename, *sum, std::nullopt});
    }
    return out;
  }

  Expected<resolver::BuildMeta> describe_build(const InstallRequest&) override { return bin_dir_meta(); }

  Status smoke_test(const InstallRequest& req, const resolver::BuildMeta&) override {
    return run_smoke("python", req.version, req.install_path, "python3", "--version");
  }

 private:
  Expected<std::vector<std::string>> release_tags() {
    std::vector<std::string> tags;
    const char* env = std::getenv("RTX_PYTHON_RELEASES");
    if (env && *env) {
      tags = python_words(env, " ,\t\n");
    } else if (mirror_ == kPythonUpstream) {
      for (const char* t : kDefaultReleases) tags.emplace_back(t);
    } else {
      std::string url = mirror_ + "/releases.txt";
      auto text =
          fetch_text(env_, url, "a python mirror lists its release tags in releases.txt, or set RTX_PYTHON_RELEASES");
      if (!text) return Error{text.error()};
      std::string_view rest = *text;
      while (!rest.empty()) {
        std::size_t nl = rest.find('\n');
        std::string_view line = rest.substr(0, nl);
        rest = nl == std::string_view::npos ? std::string_view{} : rest.substr(nl + 1);
        for (auto& w : python_words(line.substr(0, line.find('#')), " \t\r")) tags.push_back(std::move(w));
      }
    }
    for (const auto& t : tags)
      if (auto st = resolver::validate_version(t); !st)
        return make_error("python release tag '" + t + "' (" + (env && *env ? "RTX_PYTHON_RELEASES" : mirror_) +
                          "): " + st.error());
    if (tags.empty())
      return make_error("no python release tags: list them in " + mirror_ + "/releases.txt or RTX_PYTHON_RELEASES");
    // Oldest first, so a newer release's build of a version replaces an older one.
    std::sort(tags.begin(), tags.end(),
              [](const auto& a, const auto& b) { return resolver::compare_versions(a, b) < 0; });
    tags.erase(std::unique(tags.begin(), tags.end()), tags.end());
    return tags;
  }

  // Every release's SHA256SUMS, read once per run.
  Expected<const std::vector<PythonSumsFile>*> sums_files() {
    if (sums_) return &*sums_;
    auto tags = release_tags();
    if (!tags) return Error{tags.error()};
    std::vector<PythonSumsFile> files;
    for (const auto& tag : *tags) {
      std::string url = mirror_ + "/" + tag + "/SHA256SUMS";
      auto text = fetch_text(env_, url, kPythonHint);
      if (!text) return Error{text.error()};
      files.push_back({tag, url, std::move(*text)});
      tags_text_ += (tags_text_.empty() ? "" : ", ") + tag;
    }
    sums_ = std::move(files);
    return &*sums_;
  }

  // The install_only builds for `triple`, version -> artifact, newest tag winning.
  Expected<std::map<std::string, PythonArtifact>> artifacts_for(const std::string& triple) {
    auto files = sums_files();
    if (!files) return Error{files.error()};
    std::map<std::string, PythonArtifact> index;
    for (const auto& [tag, url, text] : **files)
      if (auto st = parse_python_sums(text, tag, triple, url, index); !st) return Error{st.error()};
    return index;
  }

  // This machine's builds, read once per run.
  Expected<const std::map<std::string, PythonArtifact>*> artifacts() {
    if (index_) return &*index_;
    auto index = artifacts_for(gnu_arch() + "-unknown-linux-gnu");
    if (!index) return Error{index.error()};
    index_ = std::move(*index);
    return &*index_;
  }

  BackendEnv env_;
  std::string mirror_;
  std::optional<std::vector<PythonSumsFile>> sums_;
  std::optional<std::map<std::string, PythonArtifact>> index_;
  std::string tags_text_;
};

}  // namespace

Status parse_python_sums(std::string_view text, const std::string& tag, const std::string& triple,
                         const std::string& source, std::map<std::string, PythonArtifact>& out) {
  const std::string prefix = "cpython-";
  const std::string suffix = "+" + tag + "-" + triple + "-install_only.tar.gz";
  int line_no = 0;
  while (!text.empty()) {
    ++line_no;
    std::size_t nl = text.find('\n');
    std::string_view line = text.substr(0, nl);
    text = nl == std::string_view::npos ? std::string_view{} : text.substr(nl + 1);
    auto w = python_words(line, " \t\r");
    if (w.size() != 2) continue;                                // blank or not a "<hex>  <file>" line
    std::string name = w[1][0] == '*' ? w[1].substr(1) : w[1];  // "*": sha256sum's binary mode
    if (name.size() <= prefix.size() + suffix.size() || name.compare(0, prefix.size(), prefix) != 0 ||
        name.compare(name.size() - suffix.size(), suffix.size(), suffix) != 0)
      continue;
    std::string version = name.substr(prefix.size(), name.size() - prefix.size() - suffix.size());
    if (!resolver::validate_version(version)) continue;
    bool hex =
        w[0].size() == 64 && std::all_of(w[0].begin(), w[0].end(), [](unsigned char c) { return std::isxdigit(c); });
    if (!hex)
      return make_error(source + ":" + std::to_string(line_no) + ": '" + w[0] + "' is not a sha256 for " + name +
                        ": check " + kPythonMirrorVar);
    PythonArtifact a;
    a.tag = tag;
    a.filename = name;
    a.sha256 = w[0];
    out[version] = std::move(a);
  }
  return ok_status();
}

std::unique_ptr<Backend> make_python_backend(const BackendEnv& env) { return std::make_unique<PythonBackend>(env); }

}  // namespace rtx::backends::core
