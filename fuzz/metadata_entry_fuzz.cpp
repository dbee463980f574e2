// The offline copies of remote documents (manager/backends/core/
// metadata_cache.hpp): an entry read back from $RTX_CACHE_DIR/metadata may
// hold any bytes (a torn write, a user's edit, a planted file). Input: an
// entry. Properties: parsing never crashes; what parses is for the asked URL,
// within the limit, and reads back the same once written again; and anything
// rtx writes parses back to itself.
#include <string>

#include "fuzz/fuzz_check.hpp"
#include "manager/backends/core/metadata_cache.hpp"

using namespace rtx;
using backends::core::format_metadata_entry;
using backends::core::parse_metadata_entry;

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  std::string_view text = fuzz::as_text(data, size);
  const std::string url = "https://nodejs.org/dist/index.json";

  for (std::uint64_t limit : {std::uint64_t{0}, std::uint64_t{64}, std::uint64_t{1} << 20}) {
    std::string why;
    auto doc = parse_metadata_entry(text, url, limit, &why);
    if (!doc) {
      FUZZ_CHECK(!why.empty());
      continue;
    }
    FUZZ_CHECK(doc->text.size() <= limit);
    FUZZ_CHECK(doc->fetched_at >= 0);
    auto again = parse_metadata_entry(format_metadata_entry(url, doc->fetched_at, doc->text), url, limit);
    FUZZ_CHECK(again && again->text == doc->text && again->fetched_at == doc->fetched_at);
    FUZZ_CHECK(!parse_metadata_entry(text, url + "x", limit));  // never another URL's copy
  }

  // Whatever the body, what rtx writes comes back.
  auto written = parse_metadata_entry(format_metadata_entry(url, 1767600000, text), url, size);
  FUZZ_CHECK(written && written->text == text && written->fetched_at == 1767600000);
  return 0;
}
