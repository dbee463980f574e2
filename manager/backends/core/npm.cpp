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

#include "manager/backends/core/mirror_path.hpp"
#include "manager/backends/core/npm_dependencies.hpp"
#include "manager/backends/core/npm_registry_client.hpp"
#include "manager/util/fs.hpp"
#include "resolver/file_io.hpp"
#include "resolver/version.hpp"

namespace rtx::backends::core {
namespace {

class NpmBackend final : public Backend {
 public:
  NpmBackend(const BackendEnv& env, std::string tool)
      : client_(env), tool_(std::move(tool)), package_(tool_.substr(4)) {}

  std::string describe() const override { return "npm registry " + (doc_ ? doc_->registry.url : "(not read yet)"); }

  Expected<std::vector<std::string>> list_remote() override {
    auto meta = metadata();
    if (!meta) return Error{meta.error()};
    std::vector<std::string> out;
    for (const auto& [version, info] : (*meta)->versions)
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
    if (!req.locked_url.empty()) {
      if (auto st = fetch_locked(req); !st) return st;
      return finish_install(req);
    }
    auto meta = metadata();
    if (!meta) return Error{meta.error()};
    if (!(*meta)->versions.count(req.version)) {
      auto tag = (*meta)->dist_tags.find(req.version);
      if (tag != (*meta)->dist_tags.end())
        return make_error(tool_ + "@" + req.version + " is a dist-tag of " + (*meta)->where() +
                          ": install the version it names, " + tool_ + "@" + tag->second);
      return make_error(tool_ + " has no version " + req.version + " in " + (*meta)->where() + ": see 'rtx ls-remote " +
                        tool_ + "'");
    }
    if (std::string other = npm_platform_mismatch(**meta, req.version); !other.empty())
      return make_error(other + ": pick the package built for this machine");
    // The install transaction names the tool and version in errors.
    if (auto st = client_.fetch_package(**meta, req.version, req.install_path); !st) return st;
    return finish_install(req);
  }

  // The package's tarball and its dist.integrity, the same on every platform
  // its os/cpu filters allow (a platform they exclude is left out).
  Expected<std::vector<Artifact>> lock_artifacts(const std::string& version,
                                                 const std::vector<std::string>& platforms) override {
    auto wanted = lock_platforms(platforms);
    if (!wanted) return Error{wanted.error()};
    auto meta = metadata();
    if (!meta) return Error{meta.error()};
    auto it = (*meta)->versions.find(version);
    if (it == (*meta)->versions.end())
      return make_error(tool_ + " has no version " + version + " in " + (*meta)->where() + ": see 'rtx ls-remote " +
                        tool_ + "'");
    auto sum = client_.integrity_of(**meta, version);
    if (!sum) return Error{sum.error()};
    const NpmVersion& v = it->second;
    if (v.dist.tarball.rfind("http://", 0) != 0 && v.dist.tarball.rfind("https://", 0) != 0)
      return make_error((*meta)->where() + " gives '" + v.dist.tarball + "' as the tarball of " + tool_ + " " +
                        version + ", which is not an http(s) URL: check the registry");
    std::vector<Artifact> out;
    for (const auto& p : *wanted)
      if (npm_platform_allows(v.os, p.os) && npm_platform_allows(v.cpu, p.arch))
        out.push_back({p.name, v.dist.tarball, *sum, std::nullopt});
    return out;
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
  Expected<const NpmPackument*> metadata() {
    if (doc_) return doc_;
    auto doc = client_.packument(package_);
    if (!doc) return Error{doc.error()};
    return doc_ = *doc;
  }

  Status expose_commands(const InstallRequest& req);

  // Locked (DESIGN.md §11): the lock's tarball, on this machine's registry
  // when the lock names npm's default one, verified against the lock's
  // checksum. The package's document is not read; its dependencies still
  // resolve through the registry (finish_install), as without a lock.
  Status fetch_locked(const InstallRequest& req) {
    auto registry = npm_registry(package_);
    if (!registry) return Error{registry.error()};
    auto locked = locked_artifact(req, kNpmUpstreamRegistry, registry->url);
    if (!locked) return Error{locked.error()};
    return client_.fetch_locked_tarball(*registry, package_, locked->url, locked->checksum, req.install_path);
  }

  // After the package is in the prefix: its dependencies, then its commands.
  Status finish_install(const InstallRequest& req) {
    auto deps = install_npm_dependencies(client_, req.install_path, tool_ + " " + req.version);
    if (!deps) return Error{deps.error()};
    if (*deps > 0) {
      std::string line = "rtx: installed " + std::to_string(*deps) +
                         (*deps == 1 ? " npm dependency" : " npm dependencies") + " of " + tool_ + "\n";
      (void)!::write(2, line.data(), line.size());
    }
    return expose_commands(req);
  }

  NpmRegistryClient client_;
  std::string tool_;
  std::string package_;
  const NpmPackument* doc_ = nullptr;
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
  simdjson::dom::element root;
  if (auto err = parser.parse(text).get(root); err)
    return make_error(pj_path + " is not valid JSON (" + simdjson::error_message(err) + ")");
  auto doc = &root;
  Commands out;
  declared = true;
  simdjson::dom::element bin;
  if (!(*doc)["bin"].get(bin)) {
    std::string_view s;
    simdjson::dom::object obj;
    if (!bin.get_string().get(s)) {
      std::string_view name = package;
      if (std::string_view n; !(*doc)["name"].get_string().get(n) && !n.empty()) name = n;
      out.emplace_back(npm_unscoped(std::string(name)), std::string(s));
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
