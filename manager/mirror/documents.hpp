// The index documents of an exported mirror (issue 10 item 5; docs/decisions.md
// "Mirror export"), as text in each upstream's own format, merged with what
// the mirror folder already holds so that exporting again adds versions and
// keeps the others:
//
//   node   index.json (an array, newest first, one release a line) and
//          v<version>/SHASUMS256.txt ("<sha256>  <file>" lines)
//   go     the "?mode=json&include=all" array, newest first
//   python <tag>/SHA256SUMS and releases.txt (one tag a line)
//   rust   dist/channel-rust-<version>.toml (only the `rust` package) and versions.txt
//   npm    a package document ("packument"): name, dist-tags, versions
//
// Pure functions over text: parsed with simdjson or toml++, written with
// Boost.JSON or toml++. A document already in the folder that is not what its
// name says is an error naming it (never overwritten: it may be someone's).
#pragma once

#include <boost/json/object.hpp>
#include <boost/json/value.hpp>
#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "resolver/expected.hpp"

namespace rtx::mirror {

// ---- node: index.json ----

struct NodeIndexRelease {
  std::string version;             // "20.11.1"
  std::vector<std::string> files;  // node's build keys: "linux-x64", "osx-arm64-tar"
  std::string lts;                 // the codename ("Iron"); empty: not known to be an LTS
  // The release's own entry in the upstream index.json (date, npm, v8,
  // security…), kept as it is except for "files"; absent: a minimal entry.
  std::optional<boost::json::object> upstream;
};

// `existing` (index.json already in the folder, empty when none) with each of
// `releases` added or updated: "files" becomes the union of what the folder
// listed for that version and the exported keys. `where` names the file in errors.
Expected<std::string> merge_node_index(std::string_view existing, const std::string& where,
                                       const std::vector<NodeIndexRelease>& releases);

// The entry of `version` in an upstream index.json, or nullopt (not there, or
// not a node index at all).
std::optional<boost::json::object> node_index_entry(std::string_view index_json, const std::string& version);

// node's build key for a lock platform: "linux-x64", "linux-arm64",
// "osx-x64-tar", "osx-arm64-tar"; empty for one it does not know.
std::string node_file_key(const std::string& platform);

// ---- go: the downloads JSON ----

struct GoIndexFile {
  std::string filename, os, arch, sha256;  // "go1.22.1.linux-amd64.tar.gz", "linux", "amd64", hex
  std::uint64_t size = 0;
};
struct GoIndexRelease {
  std::string version;         // "1.22.1"
  std::optional<bool> stable;  // unknown: the folder's value, else "not a pre-release"
  std::vector<GoIndexFile> files;
};

Expected<std::string> merge_go_index(std::string_view existing, const std::string& where,
                                     const std::vector<GoIndexRelease>& releases);

// What the upstream index says of `version`'s stability, when it lists it.
std::optional<bool> go_index_stable(std::string_view index_json, const std::string& version);

// ---- checksum lists: node SHASUMS256.txt, python SHA256SUMS ----

struct SumLine {
  std::string hex;       // lower case
  std::string filename;  // "node-v20.11.1-linux-x64.tar.xz"
};

// True when `text` gives exactly `hex` for every line's file.
bool sums_cover(std::string_view text, const std::vector<SumLine>& lines);

// `existing`'s lines, except those naming one of `lines`' files, then `lines`.
std::string merge_sums(std::string_view existing, const std::vector<SumLine>& lines);

// ---- one version (or tag) a line: python releases.txt, rust versions.txt ----

// `header` (a '#' comment line), then the union of the entries of `existing`
// ('#' comments and blanks dropped) and `add`, oldest first. An entry that is
// not a version is an error naming `where` and its line.
Expected<std::string> merge_version_lines(std::string_view existing, const std::string& where,
                                          const std::string& header, const std::vector<std::string>& add);

// ---- rust: dist/channel-rust-<version>.toml ----

struct RustTargetDoc {
  std::string triple;  // "x86_64-unknown-linux-gnu"
  std::string xz_url;  // upstream: https://static.rust-lang.org/dist/…
  std::string xz_hash;
};

// A channel manifest with only what rtx's rust backend reads (manifest-version,
// pkg.rust.version and one target table per triple), holding the targets of
// `existing` (a manifest of the same version, or empty) and `targets`.
Expected<std::string> merge_rust_manifest(std::string_view existing, const std::string& where,
                                          const std::string& version, const std::vector<RustTargetDoc>& targets);

// ---- npm: the package document ----

// What the registry lists for one version: the package's own package.json
// (as npm's registry does), with "name", "version" and `dist` set (tarball,
// integrity and signatures as the registry published them: a signature signs
// "<name>@<version>:<integrity>", so the integrity text must stay as it was).
Expected<boost::json::object> npm_version_document(std::string_view package_json, const std::string& where,
                                                   const std::string& name, const std::string& version,
                                                   boost::json::object dist);

// `existing` (the folder's document of `name`, empty when none) with
// `versions` added or replaced; dist-tags: the existing ones, then `tags`,
// each kept only when it names a version the document holds; "time": the
// existing entries and `times` (version -> ISO 8601 publish time), for the
// versions the document holds.
Expected<std::string> merge_packument(std::string_view existing, const std::string& where, const std::string& name,
                                      const std::map<std::string, boost::json::object>& versions,
                                      const std::map<std::string, std::string>& tags,
                                      const std::map<std::string, std::string>& times = {});

// ---- shared ----

// A simdjson-parsed value as a Boost.JSON value (what rtx writes with).
// Nullopt when `text` is not JSON.
std::optional<boost::json::value> parse_json_value(std::string_view text);

}  // namespace rtx::mirror
