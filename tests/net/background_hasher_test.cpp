// net::BackgroundHasher: the same digests as a Hasher fed on the caller's
// thread, whatever the chunking, across resets and past the queue's bound.
#include "manager/net/background_hasher.hpp"

#include <gtest/gtest.h>

#include <thread>

#include "net_fixture.hpp"

namespace rtx::net {
namespace {

TEST(BackgroundHasher, SameDigestAsAHasherForAnyChunking) {
  std::string data = test::random_bytes(1'000'003, 11);
  for (std::size_t chunk : {std::size_t{1} << 20, std::size_t{4093}, std::size_t{65536}}) {
    BackgroundHasher h(HashAlgorithm::sha256);
    for (std::size_t i = 0; i < data.size(); i += chunk) h.update(data.data() + i, std::min(chunk, data.size() - i));
    EXPECT_EQ(h.finish().hex, to_hex(test::digest_bytes(data, EVP_sha256()))) << "chunks of " << chunk;
  }
}

TEST(BackgroundHasher, ManyMoreChunksThanTheQueueHolds) {
  std::string data = test::random_bytes(BackgroundHasher::kMaxQueued * 40 * 1000 + 17, 3);
  BackgroundHasher h(HashAlgorithm::sha512);
  for (std::size_t i = 0; i < data.size(); i += 1000)
    h.update(data.data() + i, std::min<std::size_t>(1000, data.size() - i));
  EXPECT_EQ(h.finish().hex, to_hex(test::digest_bytes(data, EVP_sha512())));
}

TEST(BackgroundHasher, ResetWaitsForQueuedBytesThenForgetsThem) {
  std::string junk = test::random_bytes(5'000'000, 5);
  BackgroundHasher h(HashAlgorithm::sha256);
  for (std::size_t i = 0; i < junk.size(); i += 100'000) h.update(junk.data() + i, 100'000);
  h.reset();
  h.update("abc", 3);
  EXPECT_EQ(h.finish().hex, "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
  // finish() resets too: the empty string's digest next.
  EXPECT_EQ(h.finish().hex, "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855");
}

TEST(BackgroundHasher, DrainedGivesTheHasherWithEverythingFed) {
  BackgroundHasher h(HashAlgorithm::sha256);
  h.update("a", 1);
  h.drained().update("b");  // as a resumed download feeds the .part's bytes
  h.update("c", 1);
  EXPECT_EQ(h.finish().hex, "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
}

TEST(BackgroundHasher, DestroyedWithBytesQueued) {
  std::string data = test::random_bytes(2'000'000, 9);
  auto h = std::make_unique<BackgroundHasher>(HashAlgorithm::sha256);
  for (std::size_t i = 0; i < data.size(); i += 50'000) h->update(data.data() + i, 50'000);
  h.reset();  // joins its thread without a hang or a leak (ASan)
  SUCCEED();
}

}  // namespace
}  // namespace rtx::net
