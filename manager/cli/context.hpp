// What every command needs: the roots, the store layout, the working directory,
// the shim binary; plus the helpers commands share.
#pragma once

#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "manager/backends/backend.hpp"
#include "manager/backends/backend_env.hpp"
#include "manager/backends/legacy_record.hpp"
#include "manager/query/query_context.hpp"
#include "manager/util/log.hpp"
#include "manager/util/plugin_downloads.hpp"
#include "resolver/acquire.hpp"
#include "resolver/expected.hpp"
#include "resolver/request.hpp"
#include "resolver/roots.hpp"
#include "resolver/store_layout.hpp"

namespace rtx::cli {

// The roots, layout, cwd and finder() are QueryContext's (manager/query/).
struct Context : QueryContext {
  std::string shim_binary;
  std::string rtx_binary;  // `rtx` (the front), for detached helpers (`rtx __reap-wait`) and activation lines

  // Where installs keep their scratch download folders (ASDF_DOWNLOAD_PATH):
  // one folder per data dir, so runners sharing a cache never sweep each other's.
  std::string download_root() const { return util::plugin_download_root(roots.cache, roots.data); }
  backends::BackendEnv backend_env() const { return backends::BackendEnv{layout, roots.cache}; }
};

Expected<Context> make_context();

struct ToolSpec {
  std::string tool;
  std::optional<std::string> spec;  // absent: "node" alone
};

// "node@20", "node", "npm:@scope/pkg@1.2".
Expected<ToolSpec> parse_tool_spec(const std::string& text);

// A request from the command line: source "command line".
Expected<resolver::Request> request_from_cli(const std::string& tool, const std::string& spec);

// The newest remote version a spec selects.
Expected<std::string> pick_remote_version(backends::Backend& backend, const std::string& tool,
                                          const resolver::VersionSpec& spec);

// What a lockfile says a spec installs (manager/cli/lock_session.hpp).
struct LockedChoice {
  std::string version;
  std::string url;       // this platform's artifact; "" for a version-only entry (asdf plugins)
  std::string checksum;  // "sha256:<hex>" or SRI, with `url`
  std::string lock_path;
};

// Installs what `spec` selects unless an installed READY build already
// satisfies it; returns the version now installed. With `locked`: exactly
// its version, from its artifact (verified against its checksum) when it
// names one, whatever else is installed or listed.
Expected<std::string> ensure_installed(const Context& ctx, const std::string& tool, const resolver::VersionSpec& spec,
                                       bool force, const LockedChoice* locked = nullptr);

}  // namespace rtx::cli
