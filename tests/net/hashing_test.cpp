// net::Hasher (OpenSSL EVP, streaming) and hash_file / hash_file_prefix.
#include "manager/net/hashing.hpp"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "net_fixture.hpp"

namespace rtx::net {
namespace {

using ::testing::HasSubstr;

TEST(Hasher, KnownVectors) {
  Hasher h256(HashAlgorithm::sha256);
  h256.update("abc");
  EXPECT_EQ(h256.finish().hex, "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
  Hasher h512(HashAlgorithm::sha512);
  h512.update("abc");
  EXPECT_EQ(h512.finish().to_sri(),
            "sha512-3a81oZNherrMQXNJriBBMRLm+k6JqX6iCp7u5ktV05ohkpkqJ0/BqDa6PCOj/uu9RU1EI2Q86A4qmslPpUyknw==");
  // finish() resets: the empty string's digest next.
  EXPECT_EQ(h256.finish().hex, "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855");
}

TEST(Hasher, StreamingInPiecesEqualsOneShot) {
  std::string data = test::random_bytes(300'001, 7);
  Hasher h(HashAlgorithm::sha512);
  for (std::size_t i = 0; i < data.size(); i += 4093) h.update(std::string_view(data).substr(i, 4093));
  EXPECT_EQ(h.finish().hex, to_hex(test::digest_bytes(data, EVP_sha512())));
}

TEST(Hasher, ResetForgetsWhatWasFed) {
  Hasher h(HashAlgorithm::sha256);
  h.update("garbage from a download that restarted");
  h.reset();
  h.update("abc");
  EXPECT_EQ(h.finish().hex, "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
}

TEST(HashFile, WholeFileAndPrefix) {
  test::ScopedTempDir tmp;
  std::string data = test::random_bytes(2'500'000, 8);  // more than one read buffer
  test::write_file(tmp / "f", data);
  auto whole = hash_file(tmp / "f", HashAlgorithm::sha256);
  ASSERT_TRUE(whole) << whole.error();
  EXPECT_EQ(*whole, test::sha256_of(data));

  Hasher h(HashAlgorithm::sha256);
  ASSERT_TRUE(hash_file_prefix(tmp / "f", 1000, h));
  EXPECT_EQ(h.finish(), test::sha256_of(data.substr(0, 1000)));
}

TEST(HashFile, MissingOrShortFilesFailNamingThem) {
  test::ScopedTempDir tmp;
  auto missing = hash_file(tmp / "nope", HashAlgorithm::sha256);
  ASSERT_FALSE(missing);
  EXPECT_THAT(missing.error(), HasSubstr(tmp / "nope"));
  test::write_file(tmp / "short", "12345");
  Hasher h(HashAlgorithm::sha256);
  Status st = hash_file_prefix(tmp / "short", 10, h);
  ASSERT_FALSE(st);
  EXPECT_THAT(st.error(), HasSubstr(tmp / "short"));
  EXPECT_THAT(st.error(), HasSubstr("shorter"));
}

}  // namespace
}  // namespace rtx::net
