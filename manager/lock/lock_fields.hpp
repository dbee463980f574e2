// The values of a lockfile entry, checked the same way when read from a file
// and before they are written (what rtx writes must read back), and their TOML
// spelling. A lockfile comes from a repository anyone may have edited: every
// value is refused unless it is what rtx or mise would write.
#pragma once

#include <string>
#include <string_view>

#include "manager/lock/lockfile.hpp"
#include "resolver/expected.hpp"

namespace rtx::lock {

// Messages here say what is wrong and how to fix it; the caller adds where.
Status check_url(std::string_view url);          // http:// or https://, a host, printable ASCII, ≤ 4 KiB
Status check_backend(std::string_view backend);  // printable ASCII without spaces, ≤ 256 bytes
Status check_specifier(std::string_view spec);   // no control characters, 1..128 bytes

enum class ChecksumUse { Verify, Unsupported };
// Verify: sha256/sha512 as net::parse_checksum takes them. Unsupported: a
// well-formed "<algorithm>:<digest>" rtx cannot verify (mise's blake3). Else an error.
Expected<ChecksumUse> check_checksum(std::string_view checksum);

// Every value of `entry` as update_lockfile may write it: a valid tool name and
// version, platform keys spelt as in kLockPlatforms, checksums rtx verifies.
Status check_entry(const LockedTool& entry);

// A TOML basic string: "…" with \" \\ and control characters escaped.
std::string toml_string(std::string_view text);
// A key: bare when it may be (letters, digits, - and _), else a basic string.
std::string toml_key(std::string_view key);

// `[[tools.<tool>]]` with version, backend and specifiers, ending in a newline.
std::string entry_top_text(const LockedTool& entry);
// `[tools.<tool>."platforms.<platform>"]` with checksum, url and size.
std::string platform_text(std::string_view tool, std::string_view platform, const LockedPlatform& info);
// The top and every platform table, a blank line between them.
std::string entry_text(const LockedTool& entry);

}  // namespace rtx::lock
