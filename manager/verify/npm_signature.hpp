// npm registry signatures, checked as `npm audit signatures` checks them
// (issue 10 item 2): each version's packument carries
//   "dist": {"integrity": "sha512-…", "signatures": [{"keyid": "SHA256:…", "sig": "<base64 DER>"}]}
// an ECDSA P-256 / SHA-256 signature over "<name>@<version>:<integrity>", by
// a key the registry publishes at <registry>/-/npm/v1/keys:
//   {"keys": [{"expires": null | "2025-01-29T00:00:00.000Z", "keyid": "SHA256:…",
//              "keytype": "ecdsa-sha2-nistp256", "scheme": "ecdsa-sha2-nistp256",
//              "key": "<base64 SubjectPublicKeyInfo DER>"}]}
//
//   auto keys = verify::parse_npm_keys(json, url);
//   auto v = verify::check_npm_signatures({name, version, integrity, sigs, published}, *keys, now);
//
// As npm: every signature must verify with the key its keyid names; a keyid
// the registry does not publish fails, and so does a signature that does not
// verify, whatever its key's age. Unlike npm, a key that has expired does not
// count (rtx reads the abbreviated packument, which has no publish time):
// unless the packument gives the version's publish time and it is earlier
// than the expiry, a good signature by an expired key is ignored, as if absent.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "resolver/expected.hpp"

namespace rtx::verify {

struct NpmRegistryKey {
  std::string keyid;    // "SHA256:jl3bwswu80PjjokCgh0o2w5c2U4LhQAE57gj9cz1kzA"
  std::string keytype;  // "ecdsa-sha2-nistp256"; keys of other types are kept but never used
  std::string scheme;
  std::string spki_der;                 // the decoded "key"
  std::optional<std::int64_t> expires;  // seconds since the epoch; nullopt: never
};

struct NpmSignatureEntry {
  std::string keyid;
  std::string sig;  // base64, as the packument has it
};

struct NpmSignedVersion {
  std::string name;       // "prettier", "@scope/name"
  std::string version;    // "3.3.3"
  std::string integrity;  // dist.integrity, exactly as published
  std::vector<NpmSignatureEntry> signatures;
  std::optional<std::int64_t> published;  // time[version] of a full packument, when there
};

// The registry's key list. `where` (the URL) names it in errors. At most 100
// keys; a key with a bad "key" or "expires" is an error (the list is broken),
// one of another type is kept and never used.
Expected<std::vector<NpmRegistryKey>> parse_npm_keys(std::string_view json, const std::string& where);

// "2025-01-29T00:00:00.000Z" (the fraction and 'Z' optional) to seconds since the epoch.
std::optional<std::int64_t> parse_iso8601_utc(std::string_view text);

struct NpmSignatureVerdict {
  enum class Kind {
    verified,       // at least one signature verified, none failed
    unsigned_,      // no signatures (or only ones by expired / unusable keys): `detail` says which
    unknown_key,    // a keyid the registry does not publish
    bad_signature,  // a signature that does not verify
  };
  Kind kind = Kind::unsigned_;
  std::string keyid;   // the key that verified, or the one that failed
  std::string detail;  // "signed by key SHA256:… which expired on 2025-01-29", …
};

// `now`: seconds since the epoch (the caller's clock; tests pass their own).
NpmSignatureVerdict check_npm_signatures(const NpmSignedVersion& version, const std::vector<NpmRegistryKey>& keys,
                                         std::int64_t now);

// ECDSA (any curve OpenSSL knows, used with P-256) over SHA-256 of `message`,
// `der_signature` in DER. False for anything malformed.
bool verify_ecdsa_sha256(std::string_view spki_der, std::string_view message, std::string_view der_signature);

}  // namespace rtx::verify
