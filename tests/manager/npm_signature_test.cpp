// npm registry signatures as `npm audit signatures` checks them (issue 10
// item 2), against a P-256 key generated here with OpenSSL.
#include <gmock/gmock.h>
#include <gtest/gtest.h>
#include <openssl/ec.h>
#include <openssl/evp.h>
#include <openssl/x509.h>

#include <memory>

#include "manager/net/checksum.hpp"
#include "manager/verify/npm_signature.hpp"

namespace rtx::verify {
namespace {

using ::testing::HasSubstr;
using NpmKind = NpmSignatureVerdict::Kind;

// A throwaway ECDSA P-256 key: signs like the registry, exports its SPKI DER.
class NpmTestKey {
 public:
  NpmTestKey() : key_(EVP_EC_gen("P-256"), EVP_PKEY_free) {}
  std::string spki_der() const {
    unsigned char* der = nullptr;
    int n = i2d_PUBKEY(key_.get(), &der);
    std::string out(reinterpret_cast<char*>(der), std::size_t(n));
    OPENSSL_free(der);
    return out;
  }
  std::string sign_base64(const std::string& message) const {
    std::unique_ptr<EVP_MD_CTX, decltype(&EVP_MD_CTX_free)> ctx(EVP_MD_CTX_new(), EVP_MD_CTX_free);
    EVP_DigestSignInit(ctx.get(), nullptr, EVP_sha256(), nullptr, key_.get());
    std::size_t len = 0;
    EVP_DigestSign(ctx.get(), nullptr, &len, reinterpret_cast<const unsigned char*>(message.data()), message.size());
    std::string sig(len, '\0');
    EVP_DigestSign(ctx.get(), reinterpret_cast<unsigned char*>(sig.data()), &len,
                   reinterpret_cast<const unsigned char*>(message.data()), message.size());
    sig.resize(len);
    return net::to_base64(sig);
  }
  NpmRegistryKey registry_key(const std::string& keyid, std::optional<std::int64_t> expires = std::nullopt) const {
    return {keyid, "ecdsa-sha2-nistp256", "ecdsa-sha2-nistp256", spki_der(), expires};
  }

 private:
  std::unique_ptr<EVP_PKEY, decltype(&EVP_PKEY_free)> key_;
};

constexpr std::int64_t kNpmNow = 1796000000;  // 2026-11-30 00:53 UTC
const std::string kNpmIntegrity = "sha512-" + std::string(86, 'A') + "==";

struct NpmSignatureCheck : ::testing::Test {
  NpmTestKey key;
  std::vector<NpmRegistryKey> keys{key.registry_key("SHA256:test-key")};
  NpmSignedVersion version(const std::string& integrity = kNpmIntegrity) {
    NpmSignedVersion v{"@scope/greeter", "1.2.0", integrity, {}, std::nullopt};
    v.signatures.push_back({"SHA256:test-key", key.sign_base64("@scope/greeter@1.2.0:" + kNpmIntegrity)});
    return v;
  }
};

TEST_F(NpmSignatureCheck, GoodSignatureVerifies) {
  NpmSignatureVerdict v = check_npm_signatures(version(), keys, kNpmNow);
  EXPECT_EQ(v.kind, NpmKind::verified) << v.detail;
  EXPECT_EQ(v.keyid, "SHA256:test-key");
}

TEST_F(NpmSignatureCheck, TamperedIntegrityFails) {
  NpmSignatureVerdict v = check_npm_signatures(version("sha512-" + std::string(86, 'B') + "=="), keys, kNpmNow);
  EXPECT_EQ(v.kind, NpmKind::bad_signature);
  EXPECT_THAT(v.detail, HasSubstr("bad signature by key SHA256:test-key over @scope/greeter@1.2.0:sha512-BBB"));
}

TEST_F(NpmSignatureCheck, OtherNameOrVersionFails) {
  NpmSignedVersion v = version();
  v.version = "1.2.1";
  EXPECT_EQ(check_npm_signatures(v, keys, kNpmNow).kind, NpmKind::bad_signature);
  v = version();
  v.name = "greeter";
  EXPECT_EQ(check_npm_signatures(v, keys, kNpmNow).kind, NpmKind::bad_signature);
}

TEST_F(NpmSignatureCheck, KeyidTheRegistryDoesNotPublishFails) {
  NpmSignedVersion v = version();
  v.signatures[0].keyid = "SHA256:other";
  NpmSignatureVerdict verdict = check_npm_signatures(v, keys, kNpmNow);
  EXPECT_EQ(verdict.kind, NpmKind::unknown_key);
  EXPECT_THAT(verdict.detail, HasSubstr("SHA256:other, which the registry does not publish"));
}

TEST_F(NpmSignatureCheck, AnotherKeysSignatureUnderTheRightKeyidFails) {
  NpmTestKey other;
  NpmSignedVersion v = version();
  v.signatures[0].sig = other.sign_base64("@scope/greeter@1.2.0:" + kNpmIntegrity);
  EXPECT_EQ(check_npm_signatures(v, keys, kNpmNow).kind, NpmKind::bad_signature);
  v.signatures[0].sig = "not base64!";
  EXPECT_EQ(check_npm_signatures(v, keys, kNpmNow).kind, NpmKind::bad_signature);
}

TEST_F(NpmSignatureCheck, ExpiredKeyDoesNotCount) {
  keys = {key.registry_key("SHA256:test-key", kNpmNow - 86400)};
  NpmSignatureVerdict v = check_npm_signatures(version(), keys, kNpmNow);
  EXPECT_EQ(v.kind, NpmKind::unsigned_);
  EXPECT_THAT(v.detail, HasSubstr("SHA256:test-key, which expired on 2026-11-29"));
  NpmSignedVersion published_before = version();  // npm's rule when the publish time is known
  published_before.published = kNpmNow - 2 * 86400;
  EXPECT_EQ(check_npm_signatures(published_before, keys, kNpmNow).kind, NpmKind::verified);
  keys = {key.registry_key("SHA256:test-key", kNpmNow + 86400)};  // expires later: counts
  EXPECT_EQ(check_npm_signatures(version(), keys, kNpmNow).kind, NpmKind::verified);
}

TEST_F(NpmSignatureCheck, ABadSignatureByAnExpiredKeyStillFails) {
  keys = {key.registry_key("SHA256:test-key", kNpmNow - 86400)};
  EXPECT_EQ(check_npm_signatures(version("sha512-" + std::string(86, 'B') + "=="), keys, kNpmNow).kind,
            NpmKind::bad_signature);
}

TEST_F(NpmSignatureCheck, NoSignaturesIsUnsigned) {
  NpmSignedVersion v = version();
  v.signatures.clear();
  NpmSignatureVerdict verdict = check_npm_signatures(v, keys, kNpmNow);
  EXPECT_EQ(verdict.kind, NpmKind::unsigned_);
  EXPECT_EQ(verdict.detail, "no dist.signatures");
}

TEST_F(NpmSignatureCheck, EverySignatureMustVerify) {
  NpmSignedVersion v = version();
  v.signatures.push_back({"SHA256:test-key", key.sign_base64("something else")});
  EXPECT_EQ(check_npm_signatures(v, keys, kNpmNow).kind, NpmKind::bad_signature);
}

TEST_F(NpmSignatureCheck, KeysOfOtherTypesAreNeverUsed) {
  keys[0].keytype = "ed25519";
  EXPECT_EQ(check_npm_signatures(version(), keys, kNpmNow).kind, NpmKind::unsigned_);
}

TEST(NpmEcdsa, MalformedKeysAndSignaturesAreFalseNotCrashes) {
  NpmTestKey key;
  std::string sig = *net::from_base64(key.sign_base64("m"));
  EXPECT_TRUE(verify_ecdsa_sha256(key.spki_der(), "m", sig));
  EXPECT_FALSE(verify_ecdsa_sha256("", "m", sig));
  EXPECT_FALSE(verify_ecdsa_sha256(key.spki_der() + "x", "m", sig));  // trailing bytes
  EXPECT_FALSE(verify_ecdsa_sha256(key.spki_der().substr(0, 20), "m", sig));
  EXPECT_FALSE(verify_ecdsa_sha256(key.spki_der(), "m", ""));
  EXPECT_FALSE(verify_ecdsa_sha256(key.spki_der(), "m", sig.substr(1)));
}

TEST(NpmKeys, ParsesTheRegistryShape) {
  NpmTestKey key;
  std::string b64 = net::to_base64(key.spki_der());
  std::string json =
      R"({"keys":[{"expires":"2025-01-29T00:00:00.000Z","keyid":"SHA256:old","keytype":"ecdsa-sha2-nistp256","scheme":"ecdsa-sha2-nistp256","key":")" +
      b64 +
      R"("},{"expires":null,"keyid":"SHA256:new","keytype":"ecdsa-sha2-nistp256","scheme":"ecdsa-sha2-nistp256","key":")" +
      b64 + R"("}]})";
  auto keys = parse_npm_keys(json, "http://r/-/npm/v1/keys");
  ASSERT_TRUE(keys) << keys.error();
  ASSERT_EQ(keys->size(), 2u);
  EXPECT_EQ((*keys)[0].keyid, "SHA256:old");
  EXPECT_EQ((*keys)[0].expires, std::int64_t{1738108800});
  EXPECT_EQ((*keys)[1].expires, std::nullopt);
  EXPECT_EQ((*keys)[1].spki_der, key.spki_der());
}

TEST(NpmKeys, BrokenListsAreOneLineNamingTheUrl) {
  std::string many = R"({"keys":[)";
  for (int i = 0; i < 101; ++i) many += std::string(i ? "," : "") + R"({"keyid":"k","key":"QUJD"})";
  many += "]}";
  for (const std::string& json :
       {std::string("not json"), std::string("{}"), std::string(R"({"keys":{}})"),
        std::string(R"({"keys":[{"key":"QUJD"}]})"), std::string(R"({"keys":[{"keyid":"k"}]})"),
        std::string(R"({"keys":[{"keyid":"k","key":"%%%"}]})"),
        std::string(R"({"keys":[{"keyid":"k","key":"QUJD","expires":12}]})"),
        std::string(R"({"keys":[{"keyid":"k","key":"QUJD","expires":"tomorrow"}]})"), many}) {
    auto keys = parse_npm_keys(json, "http://r/-/npm/v1/keys");
    ASSERT_FALSE(keys) << json;
    EXPECT_THAT(keys.error(), HasSubstr("the signing keys at http://r/-/npm/v1/keys"));
    EXPECT_EQ(keys.error().find('\n'), std::string::npos);
  }
}

TEST(NpmKeys, Iso8601Dates) {
  EXPECT_EQ(parse_iso8601_utc("2025-01-29T00:00:00.000Z"), std::int64_t{1738108800});
  EXPECT_EQ(parse_iso8601_utc("1970-01-01T00:00:00Z"), std::int64_t{0});
  EXPECT_EQ(parse_iso8601_utc("2000-03-01T12:30:15"), std::int64_t{951913815});
  for (const char* bad : {"", "2025-01-29", "2025-13-01T00:00:00Z", "2025-01-29T00:00:00+01:00",
                          "2025-01-29T00:00:00.Z", "2025-01-29T24:00:00Z", "abcd-01-29T00:00:00Z"})
    EXPECT_FALSE(parse_iso8601_utc(bad)) << bad;
}

}  // namespace
}  // namespace rtx::verify
