#include "manager/lock/lock_fields.hpp"

#include <algorithm>
#include <cstdint>
#include <limits>

#include "manager/net/checksum.hpp"
#include "resolver/config_file.hpp"
#include "resolver/printable.hpp"
#include "resolver/version.hpp"

namespace rtx::lock {
namespace {

constexpr std::size_t kMaxUrlBytes = 4096;
constexpr std::size_t kMaxBackendBytes = 256;
constexpr std::size_t kMaxSpecifierBytes = 128;
constexpr std::size_t kMaxChecksumBytes = 512;

// '!'..'~': no space, no control character, nothing outside ASCII.
bool lockfield_visible_ascii(std::string_view text) {
  return std::all_of(text.begin(), text.end(), [](char c) { return c > ' ' && c < 0x7f; });
}

std::string lockfield_quoted(std::string_view text) { return "'" + resolver::printable(text, 120) + "'"; }

}  // namespace

Status check_url(std::string_view url) {
  auto bad = [&](const std::string& why) {
    return make_error("url " + lockfield_quoted(url) + " " + why + ": run rtx lock to record the artifact's real URL");
  };
  if (url.size() > kMaxUrlBytes) return bad("is longer than 4 KiB");
  if (!lockfield_visible_ascii(url)) return bad("holds a space, a control character or a non-ASCII byte");
  std::string_view rest;
  if (url.substr(0, 8) == "https://")
    rest = url.substr(8);
  else if (url.substr(0, 7) == "http://")
    rest = url.substr(7);
  else
    return bad("is not http:// or https://");
  if (rest.empty() || rest[0] == '/' || rest[0] == '?' || rest[0] == '#') return bad("names no host");
  return ok_status();
}

Status check_backend(std::string_view backend) {
  if (backend.empty() || backend.size() > kMaxBackendBytes || !lockfield_visible_ascii(backend))
    return make_error("backend " + lockfield_quoted(backend) +
                      " is not a backend name (like core:node or npm:cowsay): run rtx lock to rewrite the entry");
  return ok_status();
}

Status check_specifier(std::string_view spec) {
  if (spec.empty() || spec.size() > kMaxSpecifierBytes || resolver::has_control_chars(spec))
    return make_error("specifier " + lockfield_quoted(spec) +
                      " is not a version request (like 20 or lts): run rtx lock to rewrite the entry");
  return ok_status();
}

Expected<ChecksumUse> check_checksum(std::string_view checksum) {
  auto bad = [&] {
    return make_error("checksum " + lockfield_quoted(checksum) +
                      " is not sha256:<hex>, sha512:<hex> or sha512-<base64>: run rtx lock to record the real one");
  };
  if (checksum.size() > kMaxChecksumBytes || !lockfield_visible_ascii(checksum)) return bad();
  if (net::parse_checksum(checksum)) return ChecksumUse::Verify;
  // "blake3:<hex>" (mise's ubi and github backends): well-formed, but not a
  // digest rtx computes; "sha256:<garbage>" is simply wrong.
  std::size_t sep = checksum.find(':');
  if (sep == std::string_view::npos || sep == 0 || sep + 1 == checksum.size()) return bad();
  std::string_view algorithm = checksum.substr(0, sep);
  if (algorithm.substr(0, 3) == "sha") return bad();
  bool word = std::all_of(algorithm.begin(), algorithm.end(),
                          [](char c) { return (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9'); });
  return word ? Expected<ChecksumUse>(ChecksumUse::Unsupported) : Expected<ChecksumUse>(bad());
}

Status check_entry(const LockedTool& entry) {
  std::string who = "the lock entry of " + lockfield_quoted(entry.tool);
  if (resolver::has_control_chars(entry.tool))
    return make_error(who + ": the tool name holds a control character: give the tool's name");
  if (auto st = resolver::validate_tool_name(entry.tool); !st) return make_error(who + ": " + st.error());
  who += " " + lockfield_quoted(entry.version);
  if (resolver::has_control_chars(entry.version))
    return make_error(who + ": the version holds a control character: give an exact version");
  if (auto st = resolver::validate_version(entry.version); !st) return make_error(who + ": " + st.error());
  if (!entry.backend.empty())
    if (auto st = check_backend(entry.backend); !st) return make_error(who + ": " + st.error());
  for (const auto& spec : entry.specifiers)
    if (auto st = check_specifier(spec); !st) return make_error(who + ": " + st.error());
  for (const auto& [platform, info] : entry.platforms) {
    if (std::find(kLockPlatforms.begin(), kLockPlatforms.end(), platform) == kLockPlatforms.end())
      return make_error(who + ": platform " + lockfield_quoted(platform) +
                        " is not one of linux-x64, linux-arm64, macos-x64, macos-arm64");
    if (!info.url.empty())
      if (auto st = check_url(info.url); !st) return make_error(who + " (" + platform + "): " + st.error());
    if (!info.checksum.empty()) {
      auto use = check_checksum(info.checksum);
      if (!use) return make_error(who + " (" + platform + "): " + use.error());
      if (*use != ChecksumUse::Verify)
        return make_error(who + " (" + platform + "): checksum " + lockfield_quoted(info.checksum) +
                          " is not one rtx verifies: give sha256 or sha512");
    }
    // TOML integers are signed 64-bit: a larger size would not read back.
    if (info.size && *info.size > std::uint64_t(std::numeric_limits<std::int64_t>::max()))
      return make_error(who + " (" + platform + "): size " + std::to_string(*info.size) + " is not a file size");
  }
  return ok_status();
}

std::string toml_string(std::string_view text) {
  static constexpr char kHex[] = "0123456789ABCDEF";
  std::string out = "\"";
  for (char c : text) {
    auto u = static_cast<unsigned char>(c);
    switch (c) {
      case '"':
        out += "\\\"";
        break;
      case '\\':
        out += "\\\\";
        break;
      case '\b':
        out += "\\b";
        break;
      case '\t':
        out += "\\t";
        break;
      case '\n':
        out += "\\n";
        break;
      case '\f':
        out += "\\f";
        break;
      case '\r':
        out += "\\r";
        break;
      default:
        if (u < 0x20 || u == 0x7f) {
          out += "\\u00";
          out += kHex[u >> 4];
          out += kHex[u & 15];
        } else {
          out += c;
        }
    }
  }
  return out + "\"";
}

std::string toml_key(std::string_view key) {
  bool bare = !key.empty() && std::all_of(key.begin(), key.end(), [](char c) {
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '-' || c == '_';
  });
  return bare ? std::string(key) : toml_string(key);
}

std::string entry_top_text(const LockedTool& entry) {
  std::string out = "[[tools." + toml_key(entry.tool) + "]]\n";
  out += "version = " + toml_string(entry.version) + "\n";
  if (!entry.backend.empty()) out += "backend = " + toml_string(entry.backend) + "\n";
  if (!entry.specifiers.empty()) {
    out += "specifiers = [";
    for (std::size_t i = 0; i < entry.specifiers.size(); ++i) out += (i ? ", " : "") + toml_string(entry.specifiers[i]);
    out += "]\n";
  }
  return out;
}

std::string platform_text(std::string_view tool, std::string_view platform, const LockedPlatform& info) {
  std::string out = "[tools." + toml_key(tool) + "." + toml_string("platforms." + std::string(platform)) + "]\n";
  if (!info.checksum.empty()) out += "checksum = " + toml_string(info.checksum) + "\n";
  if (!info.url.empty()) out += "url = " + toml_string(info.url) + "\n";
  if (info.size) out += "size = " + std::to_string(*info.size) + "\n";
  return out;
}

std::string entry_text(const LockedTool& entry) {
  std::string out = entry_top_text(entry);
  for (const auto& [platform, info] : entry.platforms) out += "\n" + platform_text(entry.tool, platform, info);
  return out;
}

}  // namespace rtx::lock
