// rust's channel manifest TOML (parse_rust_manifest in manager/backends/core/rust.cpp).
#include <string>

#include "fuzz/fuzz_check.hpp"
#include "manager/backends/core/rust.hpp"
#include "resolver/version.hpp"

using namespace rtx::backends::core;

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const std::string text(rtx::fuzz::as_text(data, size));
  const std::string source = "https://static.rust-lang.org/dist/channel-rust-stable.toml";
  auto version_only = parse_rust_manifest(text, source, "");
  auto full = parse_rust_manifest(text, source, "x86_64-unknown-linux-gnu");
  if (version_only) {
    FUZZ_CHECK(rtx::resolver::validate_version(version_only->version).ok());
    FUZZ_CHECK(version_only->url.empty() && version_only->sha256.empty());
  }
  if (full) {
    FUZZ_CHECK(version_only.ok() && version_only->version == full->version);
    FUZZ_CHECK(!full->url.empty() && !full->sha256.empty());
  } else {
    FUZZ_CHECK(!full.error().empty());
  }
  return 0;
}
