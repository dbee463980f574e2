// Archive entry names as paths (manager/archive/entry_path.cpp, DESIGN.md §9):
// an accepted name is relative, has no ".." and its parts are plain names.
#include <string>

#include "fuzz/fuzz_check.hpp"
#include "manager/archive/entry_path.hpp"

using namespace rtx::archive;

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  std::string_view name = rtx::fuzz::as_text(data, size);
  auto parts = split_entry_path(name);
  if (!parts) {
    FUZZ_CHECK(!parts.error().empty());
    return 0;
  }
  FUZZ_CHECK(name.empty() || name[0] != '/');
  for (const auto& part : *parts) {
    FUZZ_CHECK(!part.empty() && part != "." && part != "..");
    FUZZ_CHECK(part.find('/') == std::string::npos);
  }
  // Joining and splitting again is the identity.
  std::string joined = join_parts(*parts);
  FUZZ_CHECK(joined.size() <= name.size());
  auto again = split_entry_path(joined);
  FUZZ_CHECK(again.ok() && *again == *parts);
  for (int strip = 0; strip <= 3; ++strip) {
    PathParts rest = strip_components(*parts, strip);
    FUZZ_CHECK(rest.size() == (parts->size() > std::size_t(strip) ? parts->size() - strip : 0));
    if (!rest.empty()) FUZZ_CHECK(rest.back() == parts->back());
  }
  if (!parts->empty()) FUZZ_CHECK(join_parts(*parts, parts->size() - 1).size() < joined.size());
  return 0;
}
