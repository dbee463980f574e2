// Expected checksums of downloads, in the forms upstreams publish them:
// hex digests (node SHASUMS256.txt, python SHA256SUMS, rust xz_hash, go JSON)
// and Subresource Integrity strings (npm's dist.integrity "sha512-<base64>").
#pragma once

#include <cstddef>
#include <string>
#include <string_view>

#include "resolver/expected.hpp"

namespace rtx::net {

enum class HashAlgorithm { sha256, sha512 };

std::string_view algorithm_name(HashAlgorithm algorithm);  // "sha256", "sha512"
std::size_t digest_size(HashAlgorithm algorithm);          // in bytes: 32, 64

// A digest, always held as lower-case hex whatever form it was given in, so
// two checksums compare with == and name a cache folder directly.
struct Checksum {
  HashAlgorithm algorithm = HashAlgorithm::sha256;
  std::string hex;

  bool operator==(const Checksum&) const = default;
  std::string to_string() const;  // "sha256:<hex>", as error messages show it
  std::string to_sri() const;     // "sha512-<base64>", as npm writes it
};

// Accepts "sha256:<hex>", "sha512:<hex>", "sha256-<base64>" and
// "sha512-<base64>" (SRI). The error says what was wrong with `text`.
Expected<Checksum> parse_checksum(std::string_view text);
// A digest given as hex (either case) or as base64, checked for its length.
Expected<Checksum> checksum_from_hex(HashAlgorithm algorithm, std::string_view hex);
Expected<Checksum> checksum_from_base64(HashAlgorithm algorithm, std::string_view base64);

std::string to_hex(std::string_view bytes);
std::string to_base64(std::string_view bytes);
// Decodes standard base64 with padding; nothing else is accepted.
Expected<std::string> from_base64(std::string_view text);
Expected<std::string> from_hex(std::string_view hex);

}  // namespace rtx::net
