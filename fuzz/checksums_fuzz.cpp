// Checksum lists and digests (DESIGN.md §9): node's SHASUMS256.txt
// (shasums_lookup), python's SHA256SUMS (parse_python_sums) and the digest
// forms of manager/net/checksum.cpp. Input: a sums file; its first line also
// serves as a checksum string.
#include <map>
#include <string>

#include "fuzz/fuzz_check.hpp"
#include "manager/backends/core/node_index.hpp"
#include "manager/backends/core/python.hpp"
#include "manager/net/checksum.hpp"
#include "resolver/version.hpp"

using namespace rtx;

namespace {

void check_digest(const Expected<net::Checksum>& sum) {
  if (!sum) return;
  FUZZ_CHECK(sum->hex.size() == 2 * net::digest_size(sum->algorithm));
  for (char c : sum->hex) FUZZ_CHECK((c >= '0' && c <= '9') || (c >= 'a' && c <= 'f'));
  // Every written form reads back as the same digest.
  auto text = net::parse_checksum(sum->to_string());
  FUZZ_CHECK(text.ok() && *text == *sum);
  auto sri = net::parse_checksum(sum->to_sri());
  FUZZ_CHECK(sri.ok() && *sri == *sum);
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  std::string_view text = fuzz::as_text(data, size), first, rest;
  fuzz::split_once(text, '\n', first, rest);

  check_digest(net::parse_checksum(first));
  check_digest(net::checksum_from_hex(net::HashAlgorithm::sha256, first));
  check_digest(net::checksum_from_base64(net::HashAlgorithm::sha512, first));
  if (auto bytes = net::from_base64(first)) {
    auto back = net::from_base64(net::to_base64(*bytes));
    FUZZ_CHECK(back.ok() && *back == *bytes);
  }
  if (auto bytes = net::from_hex(first)) {
    auto back = net::from_hex(net::to_hex(*bytes));
    FUZZ_CHECK(back.ok() && *back == *bytes);
  }

  for (const char* name : {"node-v20.11.1-linux-x64.tar.xz", "node-v20.11.1-linux-x64.tar.gz", ""}) {
    std::string hex = backends::core::shasums_lookup(text, name);
    FUZZ_CHECK(hex.find('\n') == std::string::npos);
  }

  // This machine's triple (install) and another platform's (a lock).
  for (const std::string triple : {"x86_64-unknown-linux-gnu", "aarch64-apple-darwin"}) {
    std::map<std::string, backends::core::PythonArtifact> artifacts;
    const std::string source = "https://mirror/20241016/SHA256SUMS";
    auto st = backends::core::parse_python_sums(text, "20241016", triple, source, artifacts);
    if (!st) FUZZ_CHECK(st.error().rfind(source, 0) == 0);
    for (const auto& [version, a] : artifacts) {
      FUZZ_CHECK(resolver::validate_version(version).ok());
      FUZZ_CHECK(a.tag == "20241016" && a.filename.find('/') == std::string::npos);
      FUZZ_CHECK(a.filename.find("-" + triple + "-install_only.tar.gz") != std::string::npos);
      FUZZ_CHECK(net::checksum_from_hex(net::HashAlgorithm::sha256, a.sha256).ok());
    }
  }
  return 0;
}
