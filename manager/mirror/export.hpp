// `rtx mirror export DIR [--from-lock]` (issue 10 item 5; docs/decisions.md
// "Mirror export"): a fleet serves itself. For what is installed here, or what
// a lock names (every platform it records), DIR gets the layouts the core
// backends read upstream, so that any static web server (nginx, an S3 bucket
// website, `python3 -m http.server`) serving DIR at <base> is, for every
// machine of the fleet:
//
//   RTX_NODE_MIRROR=<base>/node      index.json, v<v>/SHASUMS256.txt (+ .sig/.asc), the .tar.xz
//   RTX_GO_MIRROR=<base>/go          index.html (the "?mode=json&include=all" answer), the archives
//   RTX_PYTHON_MIRROR=<base>/python  releases.txt, <tag>/SHA256SUMS, the install_only builds
//   RTX_RUST_MIRROR=<base>/rust      versions.txt, dist/channel-rust-<v>.toml (+ stable), the tarballs
//   NPM_CONFIG_REGISTRY=<base>/npm/  <name>/index.html (the package document), <name>/-/<file>.tgz
//
//   auto done = mirror::export_mirror({dir, ctx.backend_env(), lock::current_platform()}, wanted);
//
// Two phases: every artifact is first found (and verified) in the download
// cache or downloaded into it; only then is DIR written, so a missing or bad
// artifact leaves DIR as it was. Exporting again into the same DIR adds
// versions and keeps the others.
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "manager/backends/backend.hpp"
#include "manager/backends/backend_env.hpp"
#include "manager/mirror/publish.hpp"
#include "resolver/expected.hpp"

namespace rtx::mirror {

enum class Layout { node, go, python, rust, npm };

// The layout serving a backend as a lock names it: "core:node" → node,
// "npm:cowsay" → npm; nullopt for the others (asdf plugins build their own
// way: no artifact of theirs can be served).
std::optional<Layout> layout_of(const std::string& backend);

// What a layout's upstream is: the folder it gets in the mirror, the
// variable naming this machine's mirror of it, its base URL (where a lock's
// URLs point) and the hint of download errors.
struct Upstream {
  const char* folder;
  const char* variable;
  const char* base;
  const char* hint;
};
const Upstream& upstream_of(Layout layout);

struct Wanted {
  Layout layout = Layout::node;
  std::string tool;     // as configured: "node", "prettier", "npm:cowsay"
  std::string package;  // npm: the package ("cowsay"); empty otherwise
  std::string version;
  std::string entry_path;  // the installed build; empty when from a lock
  bool from_lock = false;
  std::vector<backends::Artifact> locked;  // from a lock: every platform it records
};

struct ExportOptions {
  std::string dir;  // absolute
  backends::BackendEnv env;
  std::string platform;  // this machine ("linux-x64"): an installed build is exported for it
};

struct ExportResult {
  std::vector<std::string> exported;  // "node 20.11.1 (linux-x64)", "npm:greeter 1.2.0 (+1 dependency)"
  std::vector<std::string> notes;     // fallbacks taken, one line each
  Publisher::Counts counts;
};

Expected<ExportResult> export_mirror(const ExportOptions& options, const std::vector<Wanted>& wanted);

}  // namespace rtx::mirror
