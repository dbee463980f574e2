// De-armoring OpenPGP public keys for gpgv's --keyring (issue 10 item 2).
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "fs_helpers.hpp"
#include "manager/net/checksum.hpp"
#include "manager/verify/armor.hpp"

namespace rtx::verify {
namespace {

using ::testing::HasSubstr;

// Three bytes of a "public key packet" header (tag 6, old format) and a body.
const std::string kArmorPackets = std::string("\x99\x01\x0d", 3) + "abcdefgh";

std::string armor_block(const std::string& body_base64, const std::string& headers = "Comment: test\n",
                        const std::string& crc = "=AbCd\n") {
  return "-----BEGIN PGP PUBLIC KEY BLOCK-----\n" + headers + "\n" + body_base64 + "\n" + crc +
         "-----END PGP PUBLIC KEY BLOCK-----\n";
}

TEST(Armor, DecodesTheBodySkippingHeadersAndTheCrcLine) {
  auto out = dearmor_public_keys(armor_block(net::to_base64(kArmorPackets)), "k.asc");
  ASSERT_TRUE(out) << out.error();
  EXPECT_EQ(*out, kArmorPackets);
}

TEST(Armor, LinesSplitAnywhereCrlfAndNoHeaderSectionAreFine) {
  std::string b64 = net::to_base64(kArmorPackets);
  std::string text = "-----BEGIN PGP PUBLIC KEY BLOCK-----\r\n" + b64.substr(0, 4) + "\r\n" + b64.substr(4) +
                     "\r\n-----END PGP PUBLIC KEY BLOCK-----\r\n";
  auto out = dearmor_public_keys(text, "k.asc");
  ASSERT_TRUE(out) << out.error();
  EXPECT_EQ(*out, kArmorPackets);
}

TEST(Armor, SeveralBlocksAreConcatenatedInOrderAndTextAroundIsIgnored) {
  std::string second = std::string("\xc6\x05", 2) + "xyzzy";
  auto out = dearmor_public_keys("some words\n" + armor_block(net::to_base64(kArmorPackets)) + "\nmore\n" +
                                     armor_block(net::to_base64(second), "", ""),
                                 "two.asc");
  ASSERT_TRUE(out) << out.error();
  EXPECT_EQ(*out, kArmorPackets + second);
}

TEST(Armor, EachDamageIsOneLineNamingTheFile) {
  std::string good = net::to_base64(kArmorPackets);
  struct Case {
    std::string text, says;
  } cases[] = {
      {"", "no '-----BEGIN PGP PUBLIC KEY BLOCK-----'"},
      {"just text\n", "no '-----BEGIN PGP PUBLIC KEY BLOCK-----'"},
      {"-----BEGIN PGP SIGNATURE-----\n\nabcd\n-----END PGP SIGNATURE-----\n", "is not an OpenPGP public key block"},
      {"-----BEGIN PGP PRIVATE KEY BLOCK-----\n", "is not an OpenPGP public key block"},
      {"-----BEGIN PGP PUBLIC KEY BLOCK-----\n\n" + good + "\n", "has no END line"},
      {armor_block("!!!!"), "not valid base64"},
      {armor_block(good.substr(0, good.size() - 1)), "not valid base64"},
      {armor_block(""), "not valid base64"},
      {armor_block(net::to_base64("plain text")), "does not hold OpenPGP packets"},
      {armor_block(good, "", "=AbCd\nQUJD\n"), "text after the checksum line"},
      {"-----BEGIN PGP PUBLIC KEY BLOCK-----\n\n" + good + "\n-----BEGIN PGP PUBLIC KEY BLOCK-----\n",
       "a new armor line inside the block"},
  };
  for (const auto& c : cases) {
    auto out = dearmor_public_keys(c.text, "/keys/x.asc");
    ASSERT_FALSE(out) << c.text;
    EXPECT_THAT(out.error(), HasSubstr("/keys/x.asc")) << c.text;
    EXPECT_THAT(out.error(), HasSubstr(c.says)) << c.text;
    EXPECT_EQ(out.error().find('\n'), std::string::npos) << out.error();
  }
}

TEST(Armor, LooksArmored) {
  EXPECT_TRUE(looks_armored("\n  -----BEGIN PGP PUBLIC KEY BLOCK-----\n"));
  EXPECT_FALSE(looks_armored(kArmorPackets));
  EXPECT_FALSE(looks_armored(""));
}

// The shipped keys decode to what GnuPG itself makes of them.
TEST(Armor, ShippedKeyMatchesGpgDearmor) {
  if (std::system("command -v gpg >/dev/null 2>&1") != 0) GTEST_SKIP() << "gpg (Debian package gnupg) is not installed";
  std::string file = test::source_dir() + "/share/keys/node/4ED778F539E3634C779C87C6D7062848A1AB005C.asc";
  auto out = dearmor_public_keys(test::read_text(file), file);
  ASSERT_TRUE(out) << out.error();
  std::string mine = testing::TempDir() + "/rtx-armor-test.gpg";
  ASSERT_EQ(std::system(("gpg --batch --yes --dearmor -o '" + mine + "' '" + file + "'").c_str()), 0);
  EXPECT_EQ(*out, test::read_text(mine));
  ::unlink(mine.c_str());
}

}  // namespace
}  // namespace rtx::verify
