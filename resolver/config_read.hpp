// Which config files count (DESIGN.md §4): a regular file (opened O_NONBLOCK,
// checked with fstat, so a FIFO or device never blocks or floods us) of at most
// 1 MiB, owned by the user or root. A file planted in a shared directory by
// another uid must not choose what runs, unless the user trusts its directory
// (`trusted_config_paths`, as git's safe.directory).
#pragma once

#include <string>
#include <string_view>
#include <vector>

namespace rtx::resolver {

inline constexpr std::size_t kMaxConfigBytes = 1 << 20;

enum class ConfigAccess {
  Read,        // `text` holds the file
  Absent,      // no such file (or a path through a non-directory)
  NotRegular,  // FIFO, device, directory, socket: skipped
  TooLarge,    // over kMaxConfigBytes: an error naming the file
  Foreign,     // owned by another uid: ignored with a warning unless trusted
  Failed,      // another error (errno in `error`)
};

// What identifies one version of a file's content for a cache (DESIGN.md §4:
// a plugin's parse-legacy-file answer is kept until any of these changes).
// ctime too: `touch -d` or `cp -p` can give new content an old mtime, but
// every write moves ctime and nobody can set it back.
struct FileIdentity {
  unsigned long long dev = 0, ino = 0, size = 0;
  long long mtime_ns = 0, ctime_ns = 0;
  bool operator==(const FileIdentity&) const = default;
};

struct ConfigRead {
  ConfigAccess access = ConfigAccess::Absent;
  FileIdentity identity;  // of the file read (Read, TooLarge, Foreign)
  int error = 0;          // errno for Failed
  unsigned owner = 0;     // the file's uid (Foreign)
  std::string text;
};

// Reads `path` under the rules above; `trusted` lists directories whose files
// are read whoever owns them.
ConfigRead read_config(const std::string& path, const std::vector<std::string>& trusted);

// Is `path` inside one of `dirs` (by path prefix, whole components)?
bool is_under_any(std::string_view path, const std::vector<std::string>& dirs);

// `[settings] trusted_config_paths = ["/dir", …]` of a TOML text (the global
// config), plus RTX_TRUSTED_CONFIG_PATHS (colon-separated). Absolute paths only.
std::vector<std::string> trusted_config_paths(std::string_view global_config_text);

// Whether a shim installs a configured but missing version (DESIGN.md §4):
// on unless RTX_AUTO_INSTALL is 0/false/no/off, or, when that is unset,
// `[settings] auto_install = false` in the global config's text.
bool auto_install_enabled(std::string_view global_config_text);

}  // namespace rtx::resolver
