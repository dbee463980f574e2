// The documents an exported mirror merges with what its folder already holds
// (manager/mirror/documents.hpp): the input is that folder document, given to
// every merge. Whatever it is, a merge either refuses it with a line naming
// the file, or writes a document the backend's own parser reads back with the
// exported release in it.
#include <string>

#include "fuzz/fuzz_check.hpp"
#include "manager/backends/core/go.hpp"
#include "manager/backends/core/node_index.hpp"
#include "manager/backends/core/rust.hpp"
#include "manager/mirror/documents.hpp"
#include "resolver/version.hpp"

using namespace rtx::mirror;

namespace {

const std::string kWhere = "/srv/mirror/doc";
const std::string kHex(64, 'a');

void check_refusal(const std::string& error) { FUZZ_CHECK(error.find(kWhere) != std::string::npos); }

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const std::string_view text = rtx::fuzz::as_text(data, size);

  (void)node_index_entry(text, "20.11.1");
  if (auto node = merge_node_index(text, kWhere, {{"20.11.1", {"linux-x64"}, "Iron", std::nullopt}}); node) {
    auto read = rtx::backends::core::parse_node_index(*node, "linux-x64", kWhere);
    FUZZ_CHECK(read.ok());
    bool found = false;
    for (const auto& r : *read) found = found || r.version == "20.11.1";
    FUZZ_CHECK(found);
  } else {
    check_refusal(node.error());
  }

  (void)go_index_stable(text, "1.22.1");
  if (auto go = merge_go_index(text, kWhere,
                               {{"1.22.1", true, {{"go1.22.1.linux-amd64.tar.gz", "linux", "amd64", kHex, 1}}}});
      go) {
    auto read = rtx::backends::core::parse_go_index(*go, "amd64", kWhere);
    FUZZ_CHECK(read.ok());
    bool found = false;
    for (const auto& r : *read) found = found || (r.version == "1.22.1" && r.sha256 == kHex);
    FUZZ_CHECK(found);
  } else {
    check_refusal(go.error());
  }

  const std::vector<SumLine> lines{{kHex, "node-v20.11.1-linux-x64.tar.xz"}};
  FUZZ_CHECK(sums_cover(merge_sums(text, lines), lines));

  if (auto versions = merge_version_lines(text, kWhere, "# versions", {"1.82.0"}); versions) {
    FUZZ_CHECK(versions->rfind("# versions\n", 0) == 0);
    FUZZ_CHECK(versions->find("\n1.82.0\n") != std::string::npos);
  } else {
    check_refusal(versions.error());
  }

  const std::string triple = "x86_64-unknown-linux-gnu";
  const std::string url = "https://static.rust-lang.org/dist/rust-1.82.0-" + triple + ".tar.xz";
  if (auto rust = merge_rust_manifest(text, kWhere, "1.82.0", {{triple, url, kHex}}); rust) {
    auto read = rtx::backends::core::parse_rust_targets(*rust, kWhere, {triple});
    FUZZ_CHECK(read.ok() && read->version == "1.82.0" && read->targets.size() == 1 && read->targets[0].url == url);
  } else {
    check_refusal(rust.error());
  }

  auto version = npm_version_document(
      text, kWhere, "x", "1.0.0",
      boost::json::object{{"tarball", "https://registry.npmjs.org/x/-/x-1.0.0.tgz"}, {"integrity", "sha512-AAAA"}});
  if (!version) check_refusal(version.error());
  boost::json::object doc{{"name", "x"}, {"version", "1.0.0"}};
  if (auto packument = merge_packument(text, kWhere, "x", {{"1.0.0", doc}}, {{"latest", "1.0.0"}},
                                       {{"1.0.0", "2024-01-01T00:00:00Z"}});
      packument) {
    auto read = parse_json_value(*packument);
    FUZZ_CHECK(read && read->is_object());
    const auto& versions = read->as_object().at("versions");
    FUZZ_CHECK(versions.is_object() && versions.as_object().contains("1.0.0"));
  } else {
    check_refusal(packument.error());
  }
  return 0;
}
