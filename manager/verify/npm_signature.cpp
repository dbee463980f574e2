#include "manager/verify/npm_signature.hpp"

#include <openssl/evp.h>
#include <openssl/x509.h>
#include <simdjson.h>

#include <cstdio>
#include <memory>

#include "manager/net/checksum.hpp"

namespace rtx::verify {
namespace {

// Registries publish one to a few keys (npm: two). A bound, so a hostile
// answer cannot make rtx hold or try thousands.
constexpr std::size_t kMaxNpmKeys = 100;
constexpr std::size_t kMaxNpmSignatures = 16;
constexpr std::string_view kNpmKeyType = "ecdsa-sha2-nistp256";

// Days from 1970-01-01 to y-m-d in the proleptic Gregorian calendar (H. Hinnant's days_from_civil).
std::int64_t npm_days_from_civil(std::int64_t y, unsigned m, unsigned d) {
  y -= m <= 2;
  const std::int64_t era = (y >= 0 ? y : y - 399) / 400;
  const unsigned yoe = unsigned(y - era * 400);
  const unsigned doy = (153 * (m + (m > 2 ? -3 : 9)) + 2) / 5 + d - 1;
  const unsigned doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
  return era * 146097 + std::int64_t(doe) - 719468;
}

std::string npm_date_text(std::int64_t t) {
  // Only for messages: the date part, computed back from days (civil_from_days).
  std::int64_t z = (t >= 0 ? t : t - 86399) / 86400 + 719468;
  const std::int64_t era = (z >= 0 ? z : z - 146096) / 146097;
  const unsigned doe = unsigned(z - era * 146097);
  const unsigned yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
  const unsigned doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
  const unsigned mp = (5 * doy + 2) / 153;
  const unsigned d = doy - (153 * mp + 2) / 5 + 1;
  const unsigned m = mp < 10 ? mp + 3 : mp - 9;
  std::int64_t y = std::int64_t(yoe) + era * 400 + (m <= 2);
  char buf[32];
  std::snprintf(buf, sizeof buf, "%04lld-%02u-%02u", static_cast<long long>(y), m, d);
  return buf;
}

struct NpmPkeyFree {
  void operator()(EVP_PKEY* k) const { EVP_PKEY_free(k); }
};
struct NpmMdCtxFree {
  void operator()(EVP_MD_CTX* c) const { EVP_MD_CTX_free(c); }
};

}  // namespace

std::optional<std::int64_t> parse_iso8601_utc(std::string_view s) {
  // YYYY-MM-DDTHH:MM:SS[.fff…][Z]
  auto num = [&](std::size_t at, std::size_t len) -> std::optional<unsigned> {
    if (at + len > s.size()) return std::nullopt;
    unsigned v = 0;
    for (std::size_t i = at; i < at + len; ++i) {
      if (s[i] < '0' || s[i] > '9') return std::nullopt;
      v = v * 10 + unsigned(s[i] - '0');
    }
    return v;
  };
  if (s.size() < 19 || s[4] != '-' || s[7] != '-' || (s[10] != 'T' && s[10] != 't') || s[13] != ':' || s[16] != ':')
    return std::nullopt;
  auto y = num(0, 4), mo = num(5, 2), d = num(8, 2), h = num(11, 2), mi = num(14, 2), se = num(17, 2);
  if (!y || !mo || !d || !h || !mi || !se || *mo < 1 || *mo > 12 || *d < 1 || *d > 31 || *h > 23 || *mi > 59 ||
      *se > 60)
    return std::nullopt;
  std::size_t i = 19;
  if (i < s.size() && s[i] == '.') {
    ++i;
    std::size_t digits = 0;
    while (i < s.size() && s[i] >= '0' && s[i] <= '9') ++i, ++digits;
    if (digits == 0) return std::nullopt;
  }
  if (i < s.size() && (s[i] == 'Z' || s[i] == 'z')) ++i;
  if (i != s.size()) return std::nullopt;  // offsets other than Z: npm writes none
  return npm_days_from_civil(*y, *mo, *d) * 86400 + std::int64_t(*h) * 3600 + std::int64_t(*mi) * 60 + *se;
}

Expected<std::vector<NpmRegistryKey>> parse_npm_keys(std::string_view json, const std::string& where) {
  auto broken = [&](const std::string& what) {
    return make_error("the signing keys at " + where + " " + what + ": the registry's key list is broken");
  };
  simdjson::dom::parser parser;
  simdjson::dom::element root;
  simdjson::padded_string padded(json);
  if (auto err = parser.parse(padded).get(root); err)
    return broken(std::string("are not valid JSON (") + simdjson::error_message(err) + ")");
  simdjson::dom::array list;
  if (root["keys"].get_array().get(list)) return broken("have no \"keys\" array");
  std::vector<NpmRegistryKey> out;
  for (simdjson::dom::element item : list) {
    if (out.size() == kMaxNpmKeys) return broken("list over 100 keys");
    NpmRegistryKey key;
    std::string_view s;
    if (item["keyid"].get_string().get(s) || s.empty() || s.size() > 200) return broken("have a key without a keyid");
    key.keyid = std::string(s);
    if (!item["keytype"].get_string().get(s)) key.keytype = std::string(s);
    if (!item["scheme"].get_string().get(s)) key.scheme = std::string(s);
    if (item["key"].get_string().get(s)) return broken("have no \"key\" for " + key.keyid);
    auto der = net::from_base64(s);
    if (!der) return broken("have a \"key\" for " + key.keyid + " that is not base64");
    key.spki_der = std::move(*der);
    simdjson::dom::element expires;
    if (!item["expires"].get(expires) && !expires.is_null()) {
      std::optional<std::int64_t> t;
      if (!expires.get_string().get(s)) t = parse_iso8601_utc(s);
      if (!t) return broken("give " + key.keyid + " an \"expires\" that is neither null nor an ISO 8601 date");
      key.expires = t;
    }
    out.push_back(std::move(key));
  }
  return out;
}

bool verify_ecdsa_sha256(std::string_view spki_der, std::string_view message, std::string_view der_signature) {
  const auto* p = reinterpret_cast<const unsigned char*>(spki_der.data());
  std::unique_ptr<EVP_PKEY, NpmPkeyFree> key(d2i_PUBKEY(nullptr, &p, long(spki_der.size())));
  if (!key || p != reinterpret_cast<const unsigned char*>(spki_der.data()) + spki_der.size()) return false;
  if (EVP_PKEY_get_base_id(key.get()) != EVP_PKEY_EC) return false;
  std::unique_ptr<EVP_MD_CTX, NpmMdCtxFree> ctx(EVP_MD_CTX_new());
  if (!ctx || EVP_DigestVerifyInit(ctx.get(), nullptr, EVP_sha256(), nullptr, key.get()) != 1) return false;
  return EVP_DigestVerify(ctx.get(), reinterpret_cast<const unsigned char*>(der_signature.data()), der_signature.size(),
                          reinterpret_cast<const unsigned char*>(message.data()), message.size()) == 1;
}

NpmSignatureVerdict check_npm_signatures(const NpmSignedVersion& version, const std::vector<NpmRegistryKey>& keys,
                                         std::int64_t now) {
  using Kind = NpmSignatureVerdict::Kind;
  const std::string message = version.name + "@" + version.version + ":" + version.integrity;
  NpmSignatureVerdict verified{Kind::unsigned_, "", ""};
  std::string ignored;  // why signatures did not count, for the unsigned verdict
  std::size_t seen = 0;
  for (const auto& entry : version.signatures) {
    if (++seen > kMaxNpmSignatures) break;
    const NpmRegistryKey* key = nullptr;
    for (const auto& k : keys)
      if (k.keyid == entry.keyid) key = &k;
    if (!key)
      return {Kind::unknown_key, entry.keyid, "signed by key " + entry.keyid + ", which the registry does not publish"};
    if (key->keytype != kNpmKeyType) {
      ignored = "signed only by key " + key->keyid + " of type '" + key->keytype + "', which rtx cannot check";
      continue;
    }
    // Checked even for an expired key: a signature that is there and wrong is
    // an attack or a broken registry, whatever its key's age.
    auto der = net::from_base64(entry.sig);
    if (!der || !verify_ecdsa_sha256(key->spki_der, message, *der))
      return {Kind::bad_signature, key->keyid,
              "bad signature by key " + key->keyid + " over " + version.name + "@" + version.version + ":" +
                  version.integrity.substr(0, 24) + (version.integrity.size() > 24 ? "…" : "")};
    // npm compares the expiry with the publish time; without one, with now (see the header).
    std::int64_t at = version.published.value_or(now);
    if (key->expires && *key->expires <= at) {
      ignored = "signed only by key " + key->keyid + ", which expired on " + npm_date_text(*key->expires);
      continue;
    }
    if (verified.kind != Kind::verified) verified = {Kind::verified, key->keyid, "signed by key " + key->keyid};
  }
  if (verified.kind == Kind::verified) return verified;
  return {Kind::unsigned_, "", ignored.empty() ? "no dist.signatures" : ignored};
}

}  // namespace rtx::verify
