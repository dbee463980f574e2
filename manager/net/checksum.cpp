#include "manager/net/checksum.hpp"

#include <openssl/evp.h>

#include <cctype>

namespace rtx::net {

std::string_view algorithm_name(HashAlgorithm algorithm) {
  return algorithm == HashAlgorithm::sha256 ? "sha256" : "sha512";
}

std::size_t digest_size(HashAlgorithm algorithm) { return algorithm == HashAlgorithm::sha256 ? 32 : 64; }

std::string Checksum::to_string() const { return std::string(algorithm_name(algorithm)) + ":" + hex; }

std::string Checksum::to_sri() const {
  auto bytes = from_hex(hex);
  return std::string(algorithm_name(algorithm)) + "-" + (bytes ? to_base64(*bytes) : std::string());
}

std::string to_hex(std::string_view bytes) {
  static const char digits[] = "0123456789abcdef";
  std::string out;
  out.reserve(bytes.size() * 2);
  for (unsigned char c : bytes) {
    out += digits[c >> 4];
    out += digits[c & 15];
  }
  return out;
}

Expected<std::string> from_hex(std::string_view hex) {
  auto value = [](char c) -> int {
    if (c >= '0' && c <= '9') return c - '0';
    c = char(std::tolower(static_cast<unsigned char>(c)));
    if (c >= 'a' && c <= 'f') return c - 'a' + 10;
    return -1;
  };
  if (hex.size() % 2 != 0) return make_error("'" + std::string(hex) + "' is not hex: odd number of digits");
  std::string out;
  out.reserve(hex.size() / 2);
  for (std::size_t i = 0; i < hex.size(); i += 2) {
    int hi = value(hex[i]), lo = value(hex[i + 1]);
    if (hi < 0 || lo < 0) return make_error("'" + std::string(hex) + "' is not hex");
    out += char(hi * 16 + lo);
  }
  return out;
}

std::string to_base64(std::string_view bytes) {
  std::string out(4 * ((bytes.size() + 2) / 3), '\0');
  int n = EVP_EncodeBlock(reinterpret_cast<unsigned char*>(out.data()),
                          reinterpret_cast<const unsigned char*>(bytes.data()), int(bytes.size()));
  out.resize(std::size_t(n));
  return out;
}

Expected<std::string> from_base64(std::string_view text) {
  auto bad = [&] { return make_error("'" + std::string(text) + "' is not base64"); };
  if (text.empty() || text.size() % 4 != 0) return bad();
  // Only the standard alphabet and padding: EVP_DecodeBlock would also skip whitespace.
  for (char c : text)
    if (!((c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '+' || c == '/' ||
          c == '='))
      return bad();
  // EVP_DecodeBlock decodes padding as zero bytes; they are counted and dropped.
  std::size_t padding = 0;
  while (padding < 2 && text[text.size() - 1 - padding] == '=') ++padding;
  std::string out(3 * (text.size() / 4), '\0');
  int n = EVP_DecodeBlock(reinterpret_cast<unsigned char*>(out.data()),
                          reinterpret_cast<const unsigned char*>(text.data()), int(text.size()));
  if (n < 0) return bad();
  out.resize(std::size_t(n) - padding);
  return out;
}

Expected<Checksum> checksum_from_hex(HashAlgorithm algorithm, std::string_view hex) {
  auto bytes = from_hex(hex);
  if (!bytes || bytes->size() != digest_size(algorithm))
    return make_error("'" + std::string(hex) + "' is not a " + std::string(algorithm_name(algorithm)) +
                      " digest: expected " + std::to_string(digest_size(algorithm) * 2) + " hex digits");
  Checksum c;
  c.algorithm = algorithm;
  c.hex = to_hex(*bytes);  // lower case
  return c;
}

Expected<Checksum> checksum_from_base64(HashAlgorithm algorithm, std::string_view base64) {
  auto bytes = from_base64(base64);
  if (!bytes || bytes->size() != digest_size(algorithm))
    return make_error("'" + std::string(base64) + "' is not a base64 " + std::string(algorithm_name(algorithm)) +
                      " digest of " + std::to_string(digest_size(algorithm)) + " bytes");
  Checksum c;
  c.algorithm = algorithm;
  c.hex = to_hex(*bytes);
  return c;
}

Expected<Checksum> parse_checksum(std::string_view text) {
  for (HashAlgorithm algorithm : {HashAlgorithm::sha256, HashAlgorithm::sha512}) {
    std::string_view name = algorithm_name(algorithm);
    if (text.size() <= name.size() || text.substr(0, name.size()) != name) continue;
    std::string_view rest = text.substr(name.size() + 1);
    if (text[name.size()] == ':') return checksum_from_hex(algorithm, rest);
    if (text[name.size()] == '-') return checksum_from_base64(algorithm, rest);
  }
  return make_error("'" + std::string(text) +
                    "' is not a checksum: expected sha256:<hex>, sha512:<hex> or sha512-<base64> (npm integrity)");
}

}  // namespace rtx::net
