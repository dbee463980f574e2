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
#include "manager/util/log.hpp"
#include "manager/util/plugin_downloads.hpp"
#include "resolver/acquire.hpp"
#include "resolver/expected.hpp"
#include "resolver/request.hpp"
#include "resolver/roots.hpp"
#include "resolver/store_layout.hpp"

namespace rtx::cli {

void note(const std::string& line);  // a status line on stderr (info: hidden by -q)

struct Context {
  resolver::Roots roots;
  resolver::StoreLayout layout;
  std::string cwd;
  std::string shim_binary;
  std::string rtx_binary;  // this executable, for detached helpers (`rtx __reap-wait`)
  // Config files this command read: recorded as tracked configs at its end.
  std::shared_ptr<std::vector<std::string>> configs_read = std::make_shared<std::vector<std::string>>();

  // Where installs keep their scratch download folders (ASDF_DOWNLOAD_PATH):
  // one folder per data dir, so runners sharing a cache never sweep each other's.
  std::string download_root() const { return util::plugin_download_root(roots.cache, roots.data); }
  backends::BackendEnv backend_env() const { return backends::BackendEnv{layout, roots.cache}; }

  resolver::RequestFinder finder() const {
    resolver::RequestFinder f(roots, cwd);
    f.on_config_read([read = configs_read](const std::string& path) {
      util::log_debug("config " + path);
      read->push_back(path);
    });
    f.on_warning([](const std::string& line) { util::log_warn(line); });
    // An asdf plugin's legacy file is parsed here, never in the shim (DESIGN.md §4).
    f.on_legacy_parse(backends::legacy_parser(layout, [](const std::string& line) { note(line); }));
    return f;
  }
};

Expected<Context> make_context();

// Exit statuses (docs/exit-codes.md).
inline constexpr int kExitOk = 0;
inline constexpr int kExitError = 1;
inline constexpr int kExitCannotRun = 126;  // a malformed config on the way, exec failed
inline constexpr int kExitNotInstalled = 127;

// Prints "rtx: <message>" on stderr and returns kExitError (or `status`).
int fail(const std::string& message, int status = kExitError);

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

// The installed version a request resolves to (lease taken and released).
std::optional<resolver::Candidate> installed_match(const Context& ctx, const resolver::Request& request);

}  // namespace rtx::cli
