// net::parse_checksum and friends: the forms upstreams publish digests in.
#include "manager/net/checksum.hpp"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

namespace rtx::net {
namespace {

using ::testing::HasSubstr;

// FIPS 180-2 test vectors for "abc".
const char* kAbcSha256 = "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad";
const char* kAbcSha512 =
    "ddaf35a193617abacc417349ae20413112e6fa4e89a97ea20a9eeee64b55d39a2192992a274fc1a836ba3c23a3feebbd454d4423643ce80e2a"
    "9ac94fa54ca49f";
// The same sha512 as npm writes it in dist.integrity.
const char* kAbcSha512Sri =
    "sha512-3a81oZNherrMQXNJriBBMRLm+k6JqX6iCp7u5ktV05ohkpkqJ0/BqDa6PCOj/uu9RU1EI2Q86A4qmslPpUyknw==";

TEST(Checksum, HexFormsAreNormalisedToLowerCase) {
  auto c = parse_checksum(std::string("sha256:") + "BA7816BF8F01CFEA414140DE5DAE2223B00361A396177A9CB410FF61F20015AD");
  ASSERT_TRUE(c) << c.error();
  EXPECT_EQ(c->algorithm, HashAlgorithm::sha256);
  EXPECT_EQ(c->hex, kAbcSha256);
  EXPECT_EQ(c->to_string(), std::string("sha256:") + kAbcSha256);
}

TEST(Checksum, SriBase64DecodesToTheSameDigestAsHex) {
  auto sri = parse_checksum(kAbcSha512Sri);
  ASSERT_TRUE(sri) << sri.error();
  EXPECT_EQ(sri->algorithm, HashAlgorithm::sha512);
  EXPECT_EQ(sri->hex, kAbcSha512);
  auto hex = parse_checksum(std::string("sha512:") + kAbcSha512);
  ASSERT_TRUE(hex);
  EXPECT_EQ(*sri, *hex);
  EXPECT_EQ(hex->to_sri(), kAbcSha512Sri);
}

TEST(Checksum, WrongLengthsAndAlphabetsAreRefusedWithTheText) {
  auto short_hex = parse_checksum("sha256:abcd");
  ASSERT_FALSE(short_hex);
  EXPECT_THAT(short_hex.error(), HasSubstr("abcd"));
  EXPECT_THAT(short_hex.error(), HasSubstr("64 hex digits"));
  EXPECT_FALSE(parse_checksum(std::string("sha256:") + std::string(63, 'a') + "g"));
  EXPECT_FALSE(parse_checksum("sha512-notbase64!!"));
  // A sha256 digest given as sha512 has the wrong length.
  EXPECT_FALSE(parse_checksum(std::string("sha512:") + kAbcSha256));
  auto unknown = parse_checksum("md5:900150983cd24fb0d6963f7d28e17f72");
  ASSERT_FALSE(unknown);
  EXPECT_THAT(unknown.error(), HasSubstr("sha512-<base64>"));
}

TEST(Checksum, Base64RoundTripsEveryPaddingLength) {
  for (const std::string& s : {std::string(), std::string("a"), std::string("ab"), std::string("abc"),
                               std::string("abcd"), std::string("\xff\x00\x10", 3)}) {
    std::string encoded = to_base64(s);
    if (s.empty()) {
      EXPECT_EQ(encoded, "");
      continue;
    }
    auto decoded = from_base64(encoded);
    ASSERT_TRUE(decoded) << encoded;
    EXPECT_EQ(*decoded, s) << encoded;
  }
  EXPECT_EQ(to_base64("ab"), "YWI=");
  EXPECT_EQ(to_hex(std::string("\x00\xff\x10", 3)), "00ff10");
}

}  // namespace
}  // namespace rtx::net
