// One writer per upstream layout of an exported mirror (export.hpp), each in
// its own file, fed with artifacts already verified in the download cache.
// Each writes the artifacts first, then their checksum files, then its index
// last, so a client reading the folder while it is written never finds an
// index naming a file that is not there yet.
#pragma once

#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "manager/backends/backend_env.hpp"
#include "manager/mirror/export.hpp"
#include "manager/mirror/publish.hpp"
#include "manager/net/checksum.hpp"
#include "manager/verify/npm_signature.hpp"
#include "resolver/expected.hpp"

namespace rtx::mirror {

struct PreparedArtifact {
  std::string platform;  // "linux-x64"
  std::string url;       // upstream
  std::string rel;       // its path in the mirror folder, under the layout's folder
  net::Checksum checksum;
  std::string path;  // the verified file in the download cache
};

struct PreparedVersion {
  std::string tool;  // as configured ("node")
  std::string version;
  std::string entry_path;  // the installed build ("" from a lock)
  std::vector<PreparedArtifact> artifacts;
};

struct PreparedNpm {
  std::string name;  // "cowsay", "@scope/name"
  std::string version;
  std::string package_json;
  std::string json_path;     // for messages
  PreparedArtifact tarball;  // rel: "<name>/-/<unscoped>-<version>.tgz"
  // As the registry published them (its signatures sign this integrity text);
  // empty integrity: the checksum's SRI, and no signatures.
  std::string integrity;
  std::vector<verify::NpmSignatureEntry> signatures;
  std::optional<std::int64_t> published;  // seconds since the epoch
};

struct PreparedNpmSet {
  std::vector<PreparedNpm> packages;
  std::map<std::string, std::map<std::string, std::string>> tags;  // package -> dist-tag -> version
  // The registry's /-/npm/v1/keys, for the signatures to verify behind the mirror.
  std::optional<std::string> keys;
};

// What a layout puts into the mirror folder, decided before anything is
// written (so that a document of the folder that cannot be merged stops the
// export with nothing changed): the artifacts, then the documents in the
// order they are written (checksum files before the index naming them).
struct PendingWrites {
  struct Document {
    std::string rel;
    std::optional<std::string> text;  // nullopt: remove the file (a signature that no longer holds)
  };
  std::vector<std::pair<std::string, PreparedArtifact>> artifacts;  // rel in the folder -> artifact
  std::vector<Document> documents;
};

// Each reads the folder's documents through `folder` (never writes).
// `notes`: what the export should tell the user (a fallback taken).
Status plan_node_layout(const Publisher& folder, const backends::BackendEnv& env,
                        const std::vector<PreparedVersion>& versions, PendingWrites& out,
                        std::vector<std::string>& notes);
Status plan_go_layout(const Publisher& folder, const backends::BackendEnv& env,
                      const std::vector<PreparedVersion>& versions, PendingWrites& out);
Status plan_python_layout(const Publisher& folder, const std::vector<PreparedVersion>& versions, PendingWrites& out);
Status plan_rust_layout(const Publisher& folder, const std::vector<PreparedVersion>& versions, PendingWrites& out);
Status plan_npm_layout(const Publisher& folder, const PreparedNpmSet& set, PendingWrites& out);

// Writes what the plans decided: every artifact, then every document.
Status commit_writes(Publisher& folder, const std::vector<PendingWrites>& plans);

// The "<layout folder>/<rel>" of an artifact in the mirror folder.
inline std::string in_folder(Layout layout, const std::string& rel) {
  return std::string(upstream_of(layout).folder) + "/" + rel;
}

}  // namespace rtx::mirror
