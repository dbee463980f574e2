// go's downloads JSON (parse_go_index in manager/backends/core/go.cpp).
#include <string>

#include "fuzz/fuzz_check.hpp"
#include "manager/backends/core/go.hpp"
#include "manager/net/checksum.hpp"
#include "resolver/version.hpp"

using namespace rtx::backends::core;

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const std::string url = "https://go.dev/dl/?mode=json&include=all";
  auto releases = parse_go_index(rtx::fuzz::as_text(data, size), "amd64", url);
  if (!releases) {
    FUZZ_CHECK(releases.error().find(url) != std::string::npos);
    return 0;
  }
  for (std::size_t i = 0; i < releases->size(); ++i) {
    const GoRelease& r = (*releases)[i];
    FUZZ_CHECK(rtx::resolver::validate_version(r.version).ok());
    if (i > 0) FUZZ_CHECK(rtx::resolver::compare_versions((*releases)[i - 1].version, r.version) <= 0);
    // The file name becomes <mirror>/<filename> and a cache path: a plain name.
    FUZZ_CHECK(!r.filename.empty() && r.filename[0] != '.' && r.filename.find('/') == std::string::npos);
    (void)rtx::net::checksum_from_hex(rtx::net::HashAlgorithm::sha256, r.sha256);
    // Every archive (lock_artifacts): this machine's is among them, as the index gave it.
    bool found = false;
    for (const GoArchive& a : r.archives)
      found = found || (a.os == "linux" && a.arch == "amd64" && a.filename == r.filename);
    FUZZ_CHECK(found);
  }
  return 0;
}
