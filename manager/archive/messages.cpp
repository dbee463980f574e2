#include "manager/archive/messages.hpp"

#include <cerrno>
#include <cstdio>
#include <cstring>

namespace rtx::archive {

std::string printable(std::string_view name) {
  constexpr std::size_t kMax = 200;
  std::string out;
  for (unsigned char c : name.substr(0, kMax)) {
    if (c < 0x20 || c == 0x7f) {
      char hex[5];
      std::snprintf(hex, sizeof hex, "\\x%02x", c);
      out += hex;
    } else {
      out += char(c);
    }
  }
  if (name.size() > kMax) out += "…";
  return out;
}

std::string refusal(const Context& ctx, std::string_view entry, std::string_view reason) {
  return "refusing to extract " + ctx.archive + " into " + ctx.destination + ": entry '" + printable(entry) + "' " +
         std::string(reason) + ": the archive is corrupt or unsafe, get it from a trusted source";
}

std::string write_failure(const Context& ctx, std::string_view entry, int err) {
  if (err == ENOSPC)
    return "no space left on device while extracting " + ctx.archive + " into " + ctx.destination + ": free some space";
  if (err == EDQUOT)
    return "disk quota exceeded while extracting " + ctx.archive + " into " + ctx.destination +
           ": free some space or raise the quota";
  return "cannot write '" + printable(entry) + "' while extracting " + ctx.archive + " into " + ctx.destination + ": " +
         std::strerror(err) + ": check that the destination's folder is writable";
}

std::string read_failure(const Context& ctx, std::string_view detail) {
  return "cannot extract " + ctx.archive + " into " + ctx.destination + ": " + printable(detail) +
         ": the file is corrupt, truncated or not a tar/zip archive; download it again";
}

std::string human_size(unsigned long long bytes) {
  static const char* const kUnits[] = {"KiB", "MiB", "GiB", "TiB"};
  if (bytes < 1024) return std::to_string(bytes) + (bytes == 1 ? " byte" : " bytes");
  double v = double(bytes) / 1024;
  int unit = 0;
  while (v >= 1024 && unit < 3) v /= 1024, ++unit;
  char out[32];
  std::snprintf(out, sizeof out, v < 10 ? "%.1f %s" : "%.0f %s", v, kUnits[unit]);
  return out;
}

}  // namespace rtx::archive
