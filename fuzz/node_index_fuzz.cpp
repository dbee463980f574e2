// node's index.json (manager/backends/core/node_index.cpp): the releases, the
// LTS pick and the aliases a build records.
#include <string>

#include "fuzz/fuzz_check.hpp"
#include "manager/backends/core/node_index.hpp"
#include "resolver/version.hpp"

using namespace rtx::backends::core;

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const std::string url = "https://nodejs.org/dist/index.json";
  auto releases = parse_node_index(rtx::fuzz::as_text(data, size), "linux-x64", url);
  if (!releases) {
    FUZZ_CHECK(releases.error().find(url) != std::string::npos);
    return 0;
  }
  for (std::size_t i = 0; i < releases->size(); ++i) {
    const NodeRelease& r = (*releases)[i];
    FUZZ_CHECK(rtx::resolver::validate_version(r.version).ok());
    if (i > 0) FUZZ_CHECK(rtx::resolver::compare_versions((*releases)[i - 1].version, r.version) <= 0);
    auto aliases = node_aliases(r);
    FUZZ_CHECK(aliases.empty() == r.lts.empty());
    for (const auto& alias : aliases) {
      auto picked = pick_node_lts(*releases, alias, url);
      FUZZ_CHECK(picked.ok() && !picked->empty());
      // The newest release of that line: never older than this one.
      FUZZ_CHECK(rtx::resolver::compare_versions(*picked, r.version) >= 0);
    }
  }
  auto none = pick_node_lts(*releases, "20", url);
  FUZZ_CHECK(none.ok() && none->empty());
  return 0;
}
