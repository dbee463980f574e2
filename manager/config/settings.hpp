// [settings] of $RTX_CONFIG_DIR/config.toml.
#pragma once

#include <string>

#include "resolver/expected.hpp"

namespace rtx::config {

struct Settings {
  int keep_previous = 1;  // RETIRED predecessors kept for `rtx rollback`, per tool
  // Lockfiles (DESIGN.md §11): `lockfile = true` keeps an rtx.lock beside each
  // config even where none exists yet (one that exists is kept current
  // anyway); `locked = true` makes every install as `rtx install --locked`.
  bool lockfile = false;
  bool locked = false;
};

// Absent file or table: defaults. Malformed: path:line: what is wrong.
Expected<Settings> load_settings(const std::string& config_dir);

}  // namespace rtx::config
