// npm registry signatures at install time (issue 10 item 2): before a
// tarball is downloaded, its version's dist.signatures are checked against
// the keys its registry publishes at <registry>/-/npm/v1/keys
// (verify/npm_signature.hpp), per RTX_NPM_SIGNATURES (verify/signature_policy.hpp):
//
//   require  a registry without keys, or a version without a signature that counts: refused
//   prefer   the same: one notice (once per registry and reason, not per dependency), installed
//   skip     nothing fetched or checked
//   a signature that fails (bad, or by a key the registry does not publish) is refused under require and prefer.
//
// Keys are fetched once per registry per checker (one per NpmRegistryClient,
// so once per install with all its dependencies). Thread-safe.
#pragma once

#include <map>
#include <mutex>
#include <optional>
#include <set>
#include <string>
#include <vector>

#include "manager/backends/backend_env.hpp"
#include "manager/backends/core/fetch.hpp"
#include "manager/backends/core/npmrc.hpp"
#include "manager/verify/npm_signature.hpp"
#include "manager/verify/signature_policy.hpp"
#include "resolver/expected.hpp"

namespace rtx::backends::core {

struct NpmPackument;

class NpmSignatureChecker {
 public:
  explicit NpmSignatureChecker(BackendEnv env) : env_(std::move(env)) {}

  // The origin of `version`'s dist.integrity once its signature is judged:
  // signed_index when verified, index when unverified and the policy lets it
  // through (after a notice), an error line when it is refused.
  Expected<ChecksumOrigin> check(const NpmPackument& doc, const std::string& version);

 private:
  struct RegistryKeys {
    std::vector<verify::NpmRegistryKey> keys;
    std::string unavailable;                // why there are none: "<url>: HTTP 404 Not Found", …
    bool noticed = false;                   // the prefer notice about it was given
    std::set<std::string> noticed_reasons;  // prefer notices about unsigned versions given, by reason
  };
  Expected<RegistryKeys*> keys_for(const NpmRegistry& registry);  // mutex_ held

  BackendEnv env_;
  std::mutex mutex_;
  std::optional<verify::SignaturePolicy> policy_;
  std::map<std::string, RegistryKeys> registries_;  // by registry URL
};

}  // namespace rtx::backends::core
