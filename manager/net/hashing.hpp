// Streaming SHA-256/SHA-512 over OpenSSL EVP: downloads are hashed as their
// bytes arrive, never in a second pass over the file (DESIGN.md §6 step 3).
#pragma once

#include <cstdint>
#include <string>
#include <string_view>

#include "manager/net/checksum.hpp"
#include "resolver/expected.hpp"

typedef struct evp_md_ctx_st EVP_MD_CTX;

namespace rtx::net {

// Owns one EVP_MD_CTX. Not copyable (a digest state has one owner), movable.
class Hasher {
 public:
  explicit Hasher(HashAlgorithm algorithm);
  ~Hasher();
  Hasher(Hasher&& other) noexcept;
  Hasher& operator=(Hasher&& other) noexcept;
  Hasher(const Hasher&) = delete;
  Hasher& operator=(const Hasher&) = delete;

  HashAlgorithm algorithm() const { return algorithm_; }
  void update(const void* data, std::size_t size);
  void update(std::string_view bytes) { update(bytes.data(), bytes.size()); }
  // The digest of everything fed since construction or reset(); the hasher
  // is then reset, ready for a new stream.
  Checksum finish();
  void reset();  // forget what was fed (a download restarting from zero)

 private:
  HashAlgorithm algorithm_;
  EVP_MD_CTX* ctx_ = nullptr;
};

// Feeds the first `size` bytes of the file at `path` into `hasher` (the part
// of a download already on disk, when it resumes). Errors name the file.
Status hash_file_prefix(const std::string& path, std::uint64_t size, Hasher& hasher);

// The digest of a whole file (a cache entry being re-verified).
Expected<Checksum> hash_file(const std::string& path, HashAlgorithm algorithm);

}  // namespace rtx::net
