// Reading an npm registry (DESIGN.md §8): a package's document (the
// abbreviated "corgi" metadata npm itself installs from) and its verified
// tarballs. Used for the package a tool names and for its dependencies.
#pragma once

#include <cstdint>
#include <map>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "manager/backends/backend_env.hpp"
#include "manager/backends/core/npm_signatures.hpp"
#include "manager/backends/core/npmrc.hpp"
#include "manager/net/checksum.hpp"
#include "resolver/expected.hpp"

namespace rtx::backends::core {

// npm's default registry: where a lock's tarball URLs point unless the lock
// was made against a registry of the user's own (DESIGN.md §11).
inline constexpr const char* kNpmUpstreamRegistry = "https://registry.npmjs.org";

struct NpmDist {
  std::string tarball;
  std::string integrity;  // may hold several SRI hashes, space-separated
  bool has_shasum = false;
  std::vector<verify::NpmSignatureEntry> signatures;  // dist.signatures (npm_signatures.hpp)
};

using NpmDependencies = std::vector<std::pair<std::string, std::string>>;  // name -> spec, in document order

struct NpmVersion {
  NpmDist dist;
  NpmDependencies dependencies;
  NpmDependencies optional_dependencies;
  std::vector<std::string> os, cpu;       // npm's platform filters: "linux", "!win32"; "x64", "arm64"
  std::optional<std::int64_t> published;  // time[version], in full documents only (npm_signature.hpp)
};

struct NpmPackument {
  std::string package;  // "prettier", "@scope/name"
  NpmRegistry registry;
  std::map<std::string, NpmVersion> versions;
  std::map<std::string, std::string> dist_tags;

  std::string where() const;  // "the npm registry <url> (from <source>)"
  // For HTTP 401/403: which credentials were sent, or that none were found.
  std::string credentials_note() const;
};

class NpmRegistryClient {
 public:
  explicit NpmRegistryClient(BackendEnv env) : env_(env), signatures_(std::move(env)) {}

  // The registry's document for `package` (its registry from npmrc.hpp),
  // fetched once per client. Safe to call from several threads (for
  // different packages at once; a failed fetch is tried again).
  Expected<const NpmPackument*> packument(const std::string& package);

  // sha512 (or sha256) from dist.integrity; a version with only the legacy
  // sha1 dist.shasum is refused.
  Expected<net::Checksum> integrity_of(const NpmPackument& doc, const std::string& version) const;

  // Downloads `version`'s tarball (verified, through the download cache) and
  // extracts it without its top folder into `dest`, which must not exist.
  // progress_fd -1: no progress or summary line. Thread-safe.
  Status fetch_package(const NpmPackument& doc, const std::string& version, const std::string& dest,
                       int progress_fd = 2);

  // A locked tarball (DESIGN.md §11) of `package`: `url` verified against
  // `sum` (the lock's), extracted as fetch_package() does, without reading
  // the package's document. `registry`'s credentials go only to its host.
  Status fetch_locked_tarball(const NpmRegistry& registry, const std::string& package, const std::string& url,
                              const net::Checksum& sum, const std::string& dest, int progress_fd = 2);

 private:
  Expected<std::string> fetch_document(const NpmPackument& doc, const std::string& url);

  BackendEnv env_;
  NpmSignatureChecker signatures_;  // the registries' keys, fetched once per client
  std::mutex mutex_;                // guards docs_
  std::map<std::string, std::unique_ptr<NpmPackument>> docs_;
};

// "" when `package` is an npm name ("name", "@scope/name"), else the error line.
std::string check_npm_package_name(const std::string& package);
std::string npm_unscoped(const std::string& package);  // "@scope/name" -> "name"

// npm's os/cpu filter: empty allows all; else `value` must be listed, or only
// negations ("!win32") be listed and none of them name it.
bool npm_platform_allows(const std::vector<std::string>& filter, const std::string& value);
std::string npm_host_os();   // "linux"
std::string npm_host_cpu();  // "x64", "arm64"

// "" when `version` of `doc` may run here (its os and cpu filters), else why
// not: "npm:@esbuild/darwin-arm64 0.20.2 is built for os darwin, cpu arm64;
// this machine is linux x64".
std::string npm_platform_mismatch(const NpmPackument& doc, const std::string& version);

}  // namespace rtx::backends::core
