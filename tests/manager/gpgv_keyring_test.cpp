// The keyring gpgv checks node's checksums against, and gpgv itself, for real
// (issue 10 item 2): node's shipped release keys become one keyring GnuPG
// reads whole, and signatures by a key made here are judged right.
#include <gmock/gmock.h>
#include <gtest/gtest.h>
#include <sys/stat.h>

#include <filesystem>
#include <set>

#include "fs_helpers.hpp"
#include "manager/verify/gpgv.hpp"
#include "manager/verify/keyring.hpp"
#include "tests/support/gpg_key.hpp"
#include "tests/support/scoped_env.hpp"
#include "tests/support/temp_dir.hpp"

namespace rtx::verify {
namespace {

using ::testing::HasSubstr;
using GpgvKind = GpgvVerdict::Kind;

std::string shipped_keys() { return test::source_dir() + "/share/keys/node"; }

// The fingerprints of the primary keys in a binary keyring, as gpg lists them.
std::set<std::string> keyring_fingerprints(const std::string& keyring) {
  std::string cmd = "gpg --batch --with-colons --show-keys " + test::TestGpgKey::quote(keyring) + " 2>/dev/null";
  FILE* p = ::popen(cmd.c_str(), "r");
  std::set<std::string> out;
  char line[4096];
  bool after_pub = false;
  while (p && std::fgets(line, sizeof line, p)) {
    std::string l = line;
    if (l.rfind("pub:", 0) == 0) after_pub = true;
    if (l.rfind("fpr:", 0) == 0 && after_pub) {
      out.insert(l.substr(12, 40));  // "fpr:::::::::<40 hex>:"
      after_pub = false;
    }
  }
  if (p) ::pclose(p);
  return out;
}

struct GpgvKeyring : ::testing::Test {
  void SetUp() override {
    if (!test::TestGpgKey::available()) GTEST_SKIP() << "gpg (Debian package gnupg) is not installed";
    if (find_gpgv().empty()) GTEST_SKIP() << "gpgv is not installed";
  }
  test::ScopedTempDir tmp;
  std::string cache() const { return tmp / "cache"; }
  GpgvRequest request(const std::string& keyring, const std::string& signature, const std::string& data) const {
    GpgvRequest r;
    r.keyring = keyring;
    r.signature = signature;
    r.data = data;
    r.home = tmp / "gnupg-home-unused";
    return r;
  }
};

TEST_F(GpgvKeyring, EveryShippedKeyIsInTheKeyringGpgReads) {
  auto keyring = prepare_keyring(shipped_keys(), cache(), "node");
  ASSERT_TRUE(keyring) << keyring.error();
  EXPECT_THAT(*keyring, HasSubstr(cache() + "/keys/node-"));
  std::set<std::string> expected;
  for (const auto& e : std::filesystem::directory_iterator(shipped_keys()))
    if (e.path().extension() == ".asc") expected.insert(e.path().stem().string());
  EXPECT_GE(expected.size(), 20u);
  EXPECT_EQ(keyring_fingerprints(*keyring), expected);
}

TEST_F(GpgvKeyring, ShippedKeyringWorksWithGpgvForAnUnknownSigner) {
  // A signature by a key node never had: gpgv reads the keyring and says the
  // key is not there (not that the keyring is broken).
  auto keyring = prepare_keyring(shipped_keys(), cache(), "node");
  ASSERT_TRUE(keyring) << keyring.error();
  test::TestGpgKey key(tmp / "gnupg");
  test::write_text(tmp / "SHASUMS256.txt", "abc  node.tar.xz\n");
  key.sign_detached(tmp / "SHASUMS256.txt", tmp / "SHASUMS256.txt.sig");
  auto v = run_gpgv(request(*keyring, tmp / "SHASUMS256.txt.sig", tmp / "SHASUMS256.txt"));
  ASSERT_TRUE(v) << v.error();
  EXPECT_EQ(v->kind, GpgvKind::no_public_key) << v->detail;
  EXPECT_EQ(v->key, key.fingerprint());
  EXPECT_FALSE(test::path_exists(tmp / "gnupg-home-unused"));  // gpgv made nothing of its own
}

TEST_F(GpgvKeyring, GoodBadAndClearSignedWithAKeyMadeHere) {
  test::TestGpgKey key(tmp / "gnupg");
  test::write_text(tmp / "keys/test.asc", key.public_key(true));
  auto keyring = prepare_keyring(tmp / "keys", cache(), "node");
  ASSERT_TRUE(keyring) << keyring.error();
  test::write_text(tmp / "sums", "abc  node.tar.xz\n");
  key.sign_detached(tmp / "sums", tmp / "sums.sig");
  auto good = run_gpgv(request(*keyring, tmp / "sums.sig", tmp / "sums"));
  ASSERT_TRUE(good) << good.error();
  EXPECT_EQ(good->kind, GpgvKind::good) << good->detail;
  EXPECT_EQ(good->key, key.fingerprint());
  EXPECT_EQ(good->user, "rtx test <test@invalid>");

  test::write_text(tmp / "sums", "abd  node.tar.xz\n");
  auto bad = run_gpgv(request(*keyring, tmp / "sums.sig", tmp / "sums"));
  ASSERT_TRUE(bad) << bad.error();
  EXPECT_EQ(bad->kind, GpgvKind::bad_signature);
  EXPECT_EQ(bad->key, key.fingerprint());

  key.clear_sign(tmp / "sums", tmp / "sums.asc");
  GpgvRequest clear = request(*keyring, tmp / "sums.asc", "");
  clear.output = tmp / "signed.txt";
  auto signed_text = run_gpgv(clear);
  ASSERT_TRUE(signed_text) << signed_text.error();
  EXPECT_EQ(signed_text->kind, GpgvKind::good);
  EXPECT_EQ(test::read_text(tmp / "signed.txt"), "abd  node.tar.xz\n");

  test::write_text(tmp / "junk.sig", "not a signature\n");
  auto junk = run_gpgv(request(*keyring, tmp / "junk.sig", tmp / "sums"));
  ASSERT_TRUE(junk);
  EXPECT_EQ(junk->kind, GpgvKind::not_a_signature);
}

TEST_F(GpgvKeyring, KeyringIsReusedAndRebuiltWhenItsSourcesChange) {
  test::write_text(tmp / "keys/a.asc",
                   test::read_text(shipped_keys() + "/4ED778F539E3634C779C87C6D7062848A1AB005C.asc"));
  auto first = prepare_keyring(tmp / "keys", cache(), "node");
  ASSERT_TRUE(first) << first.error();
  struct stat before {};
  ASSERT_EQ(::stat(first->c_str(), &before), 0);
  auto again = prepare_keyring(tmp / "keys", cache(), "node");
  ASSERT_TRUE(again);
  EXPECT_EQ(*again, *first);
  struct stat after {};
  ASSERT_EQ(::stat(again->c_str(), &after), 0);
  EXPECT_EQ(before.st_ino, after.st_ino);  // not rewritten

  test::write_text(*first, "tampered");  // someone changed the cached file: rebuilt
  auto repaired = prepare_keyring(tmp / "keys", cache(), "node");
  ASSERT_TRUE(repaired);
  EXPECT_EQ(*repaired, *first);
  EXPECT_NE(test::read_text(*repaired), "tampered");

  test::write_text(tmp / "keys/b.asc",
                   test::read_text(shipped_keys() + "/108F52B48DB57BB0CC439B2997B01419BD92F80A.asc"));
  auto grown = prepare_keyring(tmp / "keys", cache(), "node");
  ASSERT_TRUE(grown);
  EXPECT_NE(*grown, *first);
  EXPECT_EQ(keyring_fingerprints(*grown).size(), 2u);
}

TEST_F(GpgvKeyring, ABinaryKeyringIsUsedAsItIsAndAnArmoredFileIsDearmored) {
  test::TestGpgKey key(tmp / "gnupg");
  test::write_text(tmp / "binary.gpg", key.public_key(false));
  auto binary = prepare_keyring(tmp / "binary.gpg", cache(), "node");
  ASSERT_TRUE(binary) << binary.error();
  EXPECT_EQ(*binary, tmp / "binary.gpg");
  test::write_text(tmp / "armored.asc", key.public_key(true));
  auto armored = prepare_keyring(tmp / "armored.asc", cache(), "node");
  ASSERT_TRUE(armored) << armored.error();
  EXPECT_EQ(test::read_text(*armored), key.public_key(false));
}

TEST(Keyring, BadSourcesAreOneLineEach) {
  test::ScopedTempDir tmp;
  test::make_dirs(tmp / "empty");
  test::write_text(tmp / "damaged/x.asc",
                   "-----BEGIN PGP PUBLIC KEY BLOCK-----\n\n!!!!\n-----END PGP PUBLIC KEY BLOCK-----\n");
  test::write_text(tmp / "text.gpg", "hello\n");
  struct Case {
    std::string source, says;
  } cases[] = {
      {tmp / "empty", "holds no .asc key files"},
      {tmp / "damaged", tmp / "damaged/x.asc: the block begun at line 1 is not valid base64"},
      {tmp / "text.gpg", "neither an armored nor a binary OpenPGP keyring"},
      {tmp / "missing", "cannot read " + (tmp / "missing")},
  };
  for (const auto& c : cases) {
    auto k = prepare_keyring(c.source, tmp / "cache", "node");
    ASSERT_FALSE(k) << c.source;
    EXPECT_THAT(k.error(), HasSubstr(c.says));
    EXPECT_EQ(k.error().find('\n'), std::string::npos);
  }
}

TEST(Keyring, NodeKeySourceHonoursTheVariable) {
  test::ScopedTempDir tmp;
  {
    test::ScopedEnv env("RTX_NODE_KEYRING", (tmp / "nowhere").c_str());
    auto s = node_key_source();
    ASSERT_FALSE(s);
    EXPECT_THAT(s.error(), HasSubstr("RTX_NODE_KEYRING=" + (tmp / "nowhere") + " does not exist"));
  }
  test::ScopedEnv env("RTX_NODE_KEYRING", tmp.path().c_str());
  EXPECT_EQ(*node_key_source(), tmp.path());
  EXPECT_THAT(shipped_node_keys_dir(), HasSubstr("/share/rtx/keys/node"));
}

}  // namespace
}  // namespace rtx::verify
