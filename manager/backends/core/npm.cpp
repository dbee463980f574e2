#include "manager/backends/core/npm.hpp"

#include <dirent.h>
#include <sys/stat.h>
#include <unistd.h>

#include <simdjson.h>
#include <algorithm>
#include <climits>
#include <cstdlib>
#include <filesystem>
#include <map>
#include <optional>
#include <vector>

#include "manager/backends/core/fetch.hpp"
#include "manager/backends/core/npmrc.hpp"
#include "manager/net/checksum.hpp"
#include "manager/net/downloader.hpp"
#include "manager/util/fs.hpp"
#include "resolver/file_io.hpp"
#include "resolver/version.hpp"

namespace rtx::backends::core {
namespace {

struct Dist {
  std::string tarball;
  std::string integrity;  // may hold several SRI hashes, space-separated
  bool has_shasum = false;
};

struct Metadata {
  std::map<std::string, Dist> versions;
  std::map<std::string, std::string> dist_tags;
};

// npm names: "name" or "@scope/name", URL-safe, no path tricks.
std::string check_package_name(const std::string& package) {
  auto plain = [](std::string_view part) {
    if (part.empty() || part[0] == '.' || part[0] == '_') return false;
    return std::all_of(part.begin(), part.end(), [](char c) {
      return std::isalnum(static_cast<unsigned char>(c)) || c == '-' || c == '.' || c == '_' || c == '~';
    });
  };
  bool ok = false;
  if (!package.empty() && package.size() <= 214) {
    if (package[0] == '@') {
      std::size_t slash = package.find('/');
      ok = slash != std::string::npos && plain(std::string_view(package).substr(1, slash - 1)) &&
           plain(std::string_view(package).substr(slash + 1));
    } else {
      ok = plain(package);
    }
  }
  return ok ? std::string()
            : "'npm:" + package + "' is not an npm package name: write npm:<name> or npm:@<scope>/<name>";
}

std::string unscoped(const std::string& package) {
  std::size_t slash = package.find('/');
  return slash == std::string::npos ? package : package.substr(slash + 1);
}

Expected<simdjson::dom::element> parse_json(simdjson::dom::parser& parser, const std::string& text,
                                            const std::string& what) {
  simdjson::dom::element doc;
  if (auto err = parser.parse(text).get(doc); err)
    return make_error(what + " is not valid JSON (" + simdjson::error_message(err) + ")");
  return doc;
}

class NpmBackend final : public Backend {
 public:
  NpmBackend(BackendEnv env, std::string tool)
      : env_(std::move(env)),
        tool_(std::move(tool)),
        package_(tool_.substr(4)),
        name_error_(check_package_name(package_)) {}

  std::string describe() const override { return "npm registry " + (registry_ ? registry_->url : "(not read yet)"); }

  Expected<std::vector<std::string>> list_remote() override {
    auto meta = metadata();
    if (!meta) return Error{meta.error()};
    std::vector<std::string> out;
    for (const auto& [version, dist] : (*meta)->versions)
      if (resolver::validate_version(version)) out.push_back(version);
    std::stable_sort(out.begin(), out.end(),
                     [](const std::string& a, const std::string& b) { return resolver::compare_versions(a, b) < 0; });
    return out;
  }

  Expected<std::string> latest_stable(const std::string& prefix) override {
    auto meta = metadata();
    if (!meta) return Error{meta.error()};
    auto it = (*meta)->dist_tags.find("latest");
    if (it == (*meta)->dist_tags.end() || !(*meta)->versions.count(it->second)) return std::string();
    const std::string& latest = it->second;
    if (!prefix.empty() && latest != prefix && latest.rfind(prefix + ".", 0) != 0) return std::string();
    return latest;
  }

  Status install(const InstallRequest& req) override {
    auto meta = metadata();
    if (!meta) return Error{meta.error()};
    auto it = (*meta)->versions.find(req.version);
    if (it == (*meta)->versions.end()) {
      auto tag = (*meta)->dist_tags.find(req.version);
      if (tag != (*meta)->dist_tags.end())
        return make_error(tool_ + "@" + req.version + " is a dist-tag of " + where() +
                          ": install the version it names, " + tool_ + "@" + tag->second);
      return make_error(tool_ + " has no version " + req.version + " in " + where() + ": see 'rtx ls-remote " + tool_ +
                        "'");
    }
    const Dist& dist = it->second;
    auto sum = integrity_of(req.version, dist);
    if (!sum) return Error{sum.error()};
    if (dist.tarball.rfind("http://", 0) != 0 && dist.tarball.rfind("https://", 0) != 0)
      return make_error(where() + " gives '" + dist.tarball + "' as the tarball of " + tool_ + " " + req.version +
                        ", which is not an http(s) URL: check the registry");
    std::string hint = "check the registry " + registry_->url + " (from " + registry_->source + ")" + credentials_note();
    if (auto st = fetch_and_extract(env_, dist.tarball, *sum, req.install_path, 1, hint,
                                    npm_request_headers(*registry_, dist.tarball));
        !st)
      return Error{st.error()};  // the install transaction names the tool and version
    return expose_commands(req);
  }

  Expected<resolver::BuildMeta> describe_build(const InstallRequest&) override {
    resolver::BuildMeta meta;
    meta.bin_dirs.emplace_back(kNpmBinDir);
    return meta;
  }

  // Runs nothing (most bins need node, and no flag is universal): every
  // command must resolve to an executable file inside the prefix.
  Status smoke_test(const InstallRequest& req, const resolver::BuildMeta&) override {
    std::string dir = req.install_path + "/" + kNpmBinDir;
    std::error_code ec;
    for (const auto& e : std::filesystem::directory_iterator(dir, ec))
      if (!resolver::is_executable_file(e.path().string()))
        return make_error(tool_ + " " + req.version + ": command " + e.path().filename().string() +
                          " does not lead to an executable file in " + req.install_path);
    if (ec) return make_error("cannot list " + dir + ": " + ec.message());
    return ok_status();
  }

 private:
  std::string where() const { return "the npm registry " + registry_->url + " (from " + registry_->source + ")"; }
  // For HTTP 401/403: which credentials were sent, or that none were found.
  std::string credentials_note() const {
    if (registry_->authorization.empty()) return "; no credentials for it in any .npmrc";
    return "; credentials from " + registry_->auth_source;
  }

  std::string metadata_url() const {
    std::string path = package_;
    if (std::size_t slash = path.find('/'); slash != std::string::npos) path.replace(slash, 1, "%2f");
    return registry_->url + "/" + path;
  }

  Expected<const Metadata*> metadata() {
    if (!name_error_.empty()) return make_error(name_error_);
    if (meta_) return &*meta_;
    auto reg = npm_registry(package_);
    if (!reg) return Error{reg.error()};
    registry_ = *reg;
    auto text = fetch_metadata();
    if (!text) return Error{text.error()};
    auto parsed = parse_metadata(*text);
    if (!parsed) return Error{parsed.error()};
    meta_ = std::move(*parsed);
    return &*meta_;
  }

  Expected<std::string> fetch_metadata() {
    std::string dir = env_.cache_dir + "/tmp";
    if (auto st = util::make_dirs(dir); !st) return Error{st.error()};
    net::DownloadRequest req;
    req.url = metadata_url();
    req.dest = dir + "/npm-" + std::to_string(::getpid()) + "-" + unscoped(package_) + ".json";
    req.hint = "check the package name and " + where() + credentials_note();
    req.headers = npm_request_headers(*registry_, req.url);
    // The abbreviated document ("corgi") npm itself installs from: it has the
    // dist-tags, versions and dist, and is much smaller than the full one.
    req.headers.emplace_back("Accept: application/vnd.npm.install-v1+json; q=1.0, application/json; q=0.8, */*");
    req.progress_fd = -1;
    auto got = net::download(req);
    if (!got) return make_error(tool_ + ": " + got.error());
    std::string text;
    int err = resolver::read_file(got->path, text);
    ::unlink(got->path.c_str());
    if (err) return make_error("cannot read the download of " + req.url + ": " + util::errno_text());
    return text;
  }

  Expected<Metadata> parse_metadata(const std::string& text) {
    std::string what = "the metadata of " + tool_ + " from " + metadata_url();
    std::string fix = ": check " + where();
    simdjson::dom::parser parser;
    auto doc = parse_json(parser, text, what);
    if (!doc) return make_error(doc.error() + fix);
    simdjson::dom::object versions;
    if (doc->get_object().error() || (*doc)["versions"].get_object().get(versions))
      return make_error(what + " has no \"versions\" object" + fix);
    Metadata meta;
    for (auto [version, value] : versions) {
      Dist dist;
      simdjson::dom::object d;
      std::string_view s;
      if (value["dist"].get_object().get(d) || d["tarball"].get_string().get(s))
        return make_error(what + ": version " + std::string(version) + " has no dist.tarball" + fix);
      dist.tarball = std::string(s);
      if (!d["integrity"].get_string().get(s)) dist.integrity = std::string(s);
      dist.has_shasum = !d["shasum"].get_string().error();
      meta.versions.emplace(std::string(version), std::move(dist));
    }
    simdjson::dom::object tags;
    if (!(*doc)["dist-tags"].get_object().get(tags))
      for (auto [tag, value] : tags)
        if (std::string_view v; !value.get_string().get(v)) meta.dist_tags.emplace(std::string(tag), std::string(v));
    return meta;
  }

  // sha512 (or sha256) from dist.integrity. A version with only the legacy
  // sha1 dist.shasum is refused: sha1 does not protect against a hostile mirror.
  Expected<net::Checksum> integrity_of(const std::string& version, const Dist& dist) const {
    std::optional<net::Checksum> best;
    std::string_view rest = dist.integrity;
    while (!rest.empty()) {
      std::size_t sp = rest.find_first_of(" \t");
      std::string_view token = rest.substr(0, sp);
      rest = sp == std::string_view::npos ? std::string_view{} : rest.substr(sp + 1);
      std::size_t q = token.find('?');  // SRI options
      token = token.substr(0, q);
      if (token.rfind("sha512-", 0) != 0 && token.rfind("sha256-", 0) != 0) continue;
      auto sum = net::parse_checksum(token);
      if (!sum)
        return make_error(where() + " gives a bad dist.integrity for " + tool_ + " " + version + ": " + sum.error());
      if (!best || sum->algorithm == net::HashAlgorithm::sha512) best = *sum;
    }
    if (best) return *best;
    return make_error(where() + " gives no sha512 dist.integrity for " + tool_ + " " + version +
                      (dist.has_shasum ? " (only a sha1 dist.shasum, which rtx does not accept)" : "") +
                      ": pick a newer version or another registry");
  }

  Status expose_commands(const InstallRequest& req);

  BackendEnv env_;
  std::string tool_;
  std::string package_;
  std::string name_error_;
  std::optional<NpmRegistry> registry_;
  std::optional<Metadata> meta_;
};

// The package's commands: name -> target, relative to the prefix.
using Commands = std::vector<std::pair<std::string, std::string>>;

std::vector<std::string> files_in(const std::string& dir, bool executable_only) {
  std::vector<std::string> out;
  if (DIR* d = ::opendir(dir.c_str())) {
    while (dirent* de = ::readdir(d)) {
      std::string path = dir + "/" + de->d_name;
      struct stat st {};
      if (de->d_name[0] == '.' || ::stat(path.c_str(), &st) != 0 || !S_ISREG(st.st_mode)) continue;
      if (!executable_only || (st.st_mode & 0111)) out.emplace_back(de->d_name);
    }
    ::closedir(d);
  }
  std::sort(out.begin(), out.end());
  return out;
}

Expected<Commands> declared_commands(const std::string& prefix, const std::string& package, bool& declared) {
  std::string pj_path = prefix + "/package.json";
  std::string text;
  if (resolver::read_file(pj_path, text) != 0)
    return make_error("the tarball has no package/package.json: it is not an npm package");
  simdjson::dom::parser parser;
  auto doc = parse_json(parser, text, pj_path);
  if (!doc) return Error{doc.error()};
  Commands out;
  declared = true;
  simdjson::dom::element bin;
  simdjson::dom::object deps;
  if (!(*doc)["dependencies"].get_object().get(deps)) {
    std::vector<std::string> missing;
    for (auto [dep, value] : deps)
      if (!util::exists(prefix + "/node_modules/" + std::string(dep) + "/package.json")) missing.emplace_back(dep);
    if (!missing.empty())
      return make_error("it needs " + std::to_string(missing.size()) + " npm dependencies (" + missing.front() +
                        (missing.size() > 1 ? ", …" : "") +
                        ") that its tarball does not bundle, and rtx does not install dependencies: "
                        "use a self-contained package (a platform binary, a bundled CLI)");
  }
  if (!(*doc)["bin"].get(bin)) {
    std::string_view s;
    simdjson::dom::object obj;
    if (!bin.get_string().get(s)) {
      std::string_view name = package;
      if (std::string_view n; !(*doc)["name"].get_string().get(n) && !n.empty()) name = n;
      out.emplace_back(unscoped(std::string(name)), std::string(s));
    } else if (!bin.get_object().get(obj)) {
      for (auto [key, value] : obj) {
        if (value.get_string().get(s))
          return make_error(pj_path + ": bin \"" + std::string(key) + "\" is not a string");
        out.emplace_back(std::string(key), std::string(s));
      }
    } else {
      return make_error(pj_path + ": \"bin\" is neither a string nor an object: the package is broken");
    }
    return out;
  }
  if (std::string_view dir; !(*doc)["directories"]["bin"].get_string().get(dir)) {
    for (const auto& f : files_in(prefix + "/" + std::string(dir), false))
      out.emplace_back(f, std::string(dir) + "/" + f);
    return out;
  }
  declared = false;  // no bin at all: the executables a platform package ships
  for (const auto& f : files_in(prefix, true)) out.emplace_back(f, f);
  for (const auto& f : files_in(prefix + "/bin", true)) out.emplace_back(f, "bin/" + f);
  return out;
}

Status NpmBackend::expose_commands(const InstallRequest& req) {
  const std::string& prefix = req.install_path;
  bool declared = false;
  auto commands = declared_commands(prefix, package_, declared);
  if (!commands) return Error{commands.error()};
  std::string where_bin = prefix + "/" + kNpmBinDir;
  if (auto st = util::make_dirs(where_bin); !st) return st;
  char real_prefix[PATH_MAX];
  if (!::realpath(prefix.c_str(), real_prefix))
    return make_error("cannot resolve " + prefix + ": " + util::errno_text());
  std::string inside = std::string(real_prefix) + "/";
  int linked = 0;
  for (const auto& [name, raw_target] : *commands) {
    if (name.empty() || name[0] == '.' || name.find_first_of("/\\") != std::string::npos)
      return make_error("its package.json names a command '" + name +
                        "', which is not a plain file name: the package is broken");
    std::filesystem::path target = std::filesystem::path(raw_target).lexically_normal();
    std::string rel = target.string();
    char real[PATH_MAX];
    if (target.is_absolute() || rel.empty() || rel == "." || rel.rfind("..", 0) == 0 ||
        (::realpath((prefix + "/" + rel).c_str(), real) && std::string(real).rfind(inside, 0) != 0))
      return make_error("its command " + name + " points at '" + raw_target + "', outside the package: refused");
    struct stat st {};
    if (::stat((prefix + "/" + rel).c_str(), &st) != 0 || !S_ISREG(st.st_mode))
      return make_error("its command " + name + " points at '" + raw_target +
                        "', which the package does not contain: the package is broken");
    // npm makes bin targets executable at install; tarballs often ship 0644.
    if ((st.st_mode & 0111) != 0111 && ::chmod((prefix + "/" + rel).c_str(), (st.st_mode & 0777) | 0111) != 0)
      return make_error("cannot make " + prefix + "/" + rel + " executable: " + util::errno_text());
    std::string link = where_bin + "/" + name;
    if (util::exists(link)) continue;  // the first of two same-named commands wins
    if (::symlink(("../" + rel).c_str(), link.c_str()) != 0)
      return make_error("cannot create " + link + ": " + util::errno_text());
    ++linked;
  }
  if (linked == 0)
    return make_error(std::string("the package has no commands (") +
                      (declared ? "its package.json \"bin\" is empty"
                                : "no \"bin\" in its package.json, and no executable at its top or in bin/") +
                      "): rtx installs npm packages for their commands");
  return ok_status();
}

}  // namespace

std::unique_ptr<Backend> make_npm_backend(const BackendEnv& env, const std::string& tool) {
  return std::make_unique<NpmBackend>(env, tool);
}

}  // namespace rtx::backends::core
