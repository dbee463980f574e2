// An npm registry's signing keys (<registry>/-/npm/v1/keys) and a version's
// dist.signatures against them (manager/verify/npm_signature.cpp). Input:
// "<keys JSON>\x01<keyid>\x01<base64 sig>\x01<integrity>".
#include <string>

#include "fuzz/fuzz_check.hpp"
#include "manager/verify/npm_signature.hpp"

using namespace rtx::verify;

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  std::string_view json, rest, keyid, sig, integrity;
  rtx::fuzz::split_once(rtx::fuzz::as_text(data, size), '\x01', json, rest);
  rtx::fuzz::split_once(rest, '\x01', keyid, rest);
  rtx::fuzz::split_once(rest, '\x01', sig, integrity);
  const std::string url = "https://registry.example/-/npm/v1/keys";
  auto keys = parse_npm_keys(json, url);
  if (!keys) {
    FUZZ_CHECK(keys.error().find(url) != std::string::npos);
    FUZZ_CHECK(keys.error().find('\n') == std::string::npos);
    return 0;
  }
  FUZZ_CHECK(keys->size() <= 100);
  NpmSignedVersion v{"pkg", "1.0.0", std::string(integrity), {{std::string(keyid), std::string(sig)}}, std::nullopt};
  NpmSignatureVerdict verdict = check_npm_signatures(v, *keys, 1796000000);
  // Nobody holds the private keys of fuzzed input: a forged signature that
  // verifies would be a bug in the checks (or a key whose SPKI the fuzzer built).
  if (verdict.kind == NpmSignatureVerdict::Kind::verified) FUZZ_CHECK(verdict.keyid == keyid);
  (void)parse_iso8601_utc(integrity);
  return 0;
}
