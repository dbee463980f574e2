#include "manager/backends/core/npm_signatures.hpp"

#include <unistd.h>

#include <atomic>
#include <chrono>

#include "manager/backends/core/npm_registry_client.hpp"
#include "manager/net/downloader.hpp"
#include "manager/util/fs.hpp"
#include "manager/util/log.hpp"
#include "resolver/file_io.hpp"
#include "resolver/roots.hpp"

namespace rtx::backends::core {
namespace {

using verify::NpmSignatureVerdict;
using verify::SignaturePolicy;

// npm's key list is well under 1 KiB.
constexpr std::uint64_t kMaxNpmKeysBytes = std::uint64_t{1} << 20;

// Answers that mean "this registry publishes no keys" rather than a failure:
// Verdaccio and static trees answer 404, S3 403, some proxies 405 or 501.
bool npm_keys_absent(const std::string& download_error) {
  for (const char* status : {": HTTP 404", ": HTTP 410", ": HTTP 403", ": HTTP 405", ": HTTP 501"})
    if (download_error.find(status) != std::string::npos) return true;
  return false;
}

}  // namespace

Expected<NpmSignatureChecker::RegistryKeys*> NpmSignatureChecker::keys_for(const NpmRegistry& registry) {
  auto [it, fresh] = registries_.try_emplace(registry.url);
  RegistryKeys& entry = it->second;
  if (!fresh) return &entry;
  std::string url = registry.url + "/-/npm/v1/keys";
  std::string dir = env_.cache_dir + "/tmp";
  if (auto st = util::make_dirs(dir); !st) {
    registries_.erase(it);
    return Error{st.error()};
  }
  net::DownloadRequest req;
  req.url = url;
  // Unique across the checkers of one process: `rtx install -j` runs several npm tools at once.
  static std::atomic<unsigned> downloads{0};
  req.dest = dir + "/npm-keys-" + std::to_string(::getpid()) + "-" + std::to_string(++downloads) + ".json";
  req.hint = "check the registry " + registry.url + " (from " + registry.source + ")";
  req.headers = npm_request_headers(registry, url);
  req.progress_fd = -1;
  req.max_bytes = kMaxNpmKeysBytes;
  auto got = net::download(req);
  if (!got) {
    if (!npm_keys_absent(got.error())) {
      registries_.erase(it);  // a network failure: asked again by the next check
      return make_error("cannot read the signing keys of the npm registry " + registry.url + ": " + got.error());
    }
    // "… failed: HTTP 404 Not Found: <hint>" -> "HTTP 404 Not Found"
    std::string status = got.error().substr(got.error().find("HTTP "));
    entry.unavailable = "it publishes no signing keys (" + url + " answers " + status.substr(0, status.find(':')) + ")";
    return &entry;
  }
  std::string text;
  int err = resolver::read_file(got->path, text);
  ::unlink(got->path.c_str());
  if (err) {
    registries_.erase(it);
    return make_error("cannot read the download of " + url + ": " + util::errno_text());
  }
  auto keys = verify::parse_npm_keys(text, url);
  // A broken list cannot vouch for anything: as if there were none (the
  // notice or the refusal says why), never a reason to trust more.
  if (!keys)
    entry.unavailable = keys.error();
  else if (keys->empty())
    entry.unavailable = "its key list " + url + " is empty";
  else
    entry.keys = std::move(*keys);
  return &entry;
}

Expected<ChecksumOrigin> NpmSignatureChecker::check(const NpmPackument& doc, const std::string& version) {
  std::lock_guard<std::mutex> lock(mutex_);
  if (!policy_) {
    auto roots = resolver::roots_from_env();
    if (!roots) return Error{roots.error()};
    auto policy = verify::signature_policy("npm", roots->config);
    if (!policy) return Error{policy.error()};
    policy_ = *policy;
  }
  if (*policy_ == SignaturePolicy::skip) return ChecksumOrigin::index;
  const NpmVersion& v = doc.versions.at(version);
  std::string what = "npm:" + doc.package + " " + version + " from " + doc.where();
  constexpr const char* kOnItsChecksum =
      ": installed on its checksum alone; other packages from this registry with the same problem are not named "
      "again (RTX_NPM_SIGNATURES=require refuses them)";
  auto refuse_unsigned = [&](const std::string& why) {
    return make_error(what + ": " + why + ", and RTX_NPM_SIGNATURES (or npm_signatures) is require: " +
                      "use a registry that signs its packages, or set RTX_NPM_SIGNATURES=prefer");
  };

  auto keys = keys_for(doc.registry);
  if (!keys) return Error{keys.error()};
  RegistryKeys& registry = **keys;
  if (!registry.unavailable.empty()) {
    if (*policy_ == SignaturePolicy::require)
      return refuse_unsigned("its signature cannot be checked: " + registry.unavailable);
    if (!registry.noticed) {  // once per registry: a whole dependency tree comes from it
      registry.noticed = true;
      util::log_warn("the npm registry " + doc.registry.url + ": " + registry.unavailable +
                     ": its packages are installed on their checksums alone (RTX_NPM_SIGNATURES=require refuses this)");
    }
    return ChecksumOrigin::index;
  }

  verify::NpmSignedVersion signed_version{doc.package, version, v.dist.integrity, v.dist.signatures, v.published};
  auto now = std::chrono::duration_cast<std::chrono::seconds>(std::chrono::system_clock::now().time_since_epoch());
  NpmSignatureVerdict verdict = verify::check_npm_signatures(signed_version, registry.keys, now.count());
  switch (verdict.kind) {
    case NpmSignatureVerdict::Kind::verified:
      util::log_debug(what + ": " + verdict.detail);
      return ChecksumOrigin::signed_index;
    case NpmSignatureVerdict::Kind::unsigned_:
      if (*policy_ == SignaturePolicy::require) return refuse_unsigned("not signed (" + verdict.detail + ")");
      // Once per registry and reason: every package published before a key
      // rotation says the same, and a dependency tree would repeat it.
      if (registry.noticed_reasons.insert(verdict.detail).second)
        util::log_warn(what + ": not signed (" + verdict.detail + ")" + kOnItsChecksum);
      else
        util::log_debug(what + ": not signed (" + verdict.detail + ")");
      return ChecksumOrigin::index;
    case NpmSignatureVerdict::Kind::unknown_key:
      return make_error(what + ": " + verdict.detail + ": check the registry (" + doc.registry.url + "/-/npm/v1/keys)");
    case NpmSignatureVerdict::Kind::bad_signature:
      break;
  }
  return make_error(what + ": " + verdict.detail +
                    ": the version's record was changed after the registry signed it; check the registry and any "
                    "proxy in between");
}

}  // namespace rtx::backends::core
