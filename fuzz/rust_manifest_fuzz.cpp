// rust's channel manifest TOML (parse_rust_manifest in manager/backends/core/rust.cpp).
#include <string>
#include <vector>

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
  // Several targets at once (lock_artifacts): the same version, each target at most once, in the order asked.
  const std::vector<std::string> triples = {"x86_64-unknown-linux-gnu", "aarch64-unknown-linux-gnu",
                                            "x86_64-apple-darwin", "aarch64-apple-darwin"};
  auto targets = parse_rust_targets(text, source, triples);
  if (targets) {
    FUZZ_CHECK(version_only.ok() && targets->version == version_only->version);
    std::size_t next = 0;
    for (const RustTarget& t : targets->targets) {
      while (next < triples.size() && triples[next] != t.triple) ++next;
      FUZZ_CHECK(next < triples.size());
      ++next;
      FUZZ_CHECK(!t.url.empty() && !t.sha256.empty());
    }
    if (full) FUZZ_CHECK(!targets->targets.empty() && targets->targets[0].url == full->url);
  }
  return 0;
}
