// [settings] of $RTX_CONFIG_DIR/config.toml.
#pragma once

#include <optional>
#include <string>

#include "manager/verify/signature_policy.hpp"
#include "resolver/expected.hpp"

namespace rtx::config {

struct Settings {
  int keep_previous = 1;  // RETIRED predecessors kept for `rtx rollback`, per tool
  // node_signatures / npm_signatures = "require" | "prefer" | "skip" (verify/signature_policy.hpp); unset: none.
  std::optional<verify::SignaturePolicy> node_signatures, npm_signatures;
  // Lockfiles (DESIGN.md §11): `lockfile = true` keeps an rtx.lock beside each
  // config even where none exists yet (one that exists is kept current
  // anyway); `locked = true` makes every install as `rtx install --locked`.
  bool lockfile = false;
  bool locked = false;
};

// Absent file or table: defaults. Malformed: path:line: what is wrong.
Expected<Settings> load_settings(const std::string& config_dir);

}  // namespace rtx::config
