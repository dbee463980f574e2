#include "manager/backends/core/mirror_path.hpp"

#include <string_view>

namespace rtx::backends::core {
namespace {

std::string_view mirror_path_base(std::string_view base) {
  while (!base.empty() && base.back() == '/') base.remove_suffix(1);
  return base;
}

// `url` with `from` + "/" replaced by `to` + "/"; unchanged when it does not start so.
std::string mirror_path_rebase(const std::string& url, std::string_view from, std::string_view to) {
  from = mirror_path_base(from);
  to = mirror_path_base(to);
  if (from.empty() || url.size() <= from.size() || url.compare(0, from.size(), from) != 0 || url[from.size()] != '/')
    return url;
  return std::string(to) + url.substr(from.size());
}

}  // namespace

std::string under_mirror(const std::string& locked_url, const std::string& upstream_base, const std::string& mirror) {
  return mirror_path_rebase(locked_url, upstream_base, mirror);
}

std::string to_upstream(const std::string& url, const std::string& mirror, const std::string& upstream_base) {
  return mirror_path_rebase(url, mirror, upstream_base);
}

Expected<LockedArtifact> locked_artifact(const store::BuildRequest& req, const std::string& upstream_base,
                                         const std::string& mirror) {
  const std::string fix = ": fix the lockfile, or run 'rtx lock' again";
  const std::string& url = req.locked_url;
  // A lock is outside input: curl would follow any scheme it knows (ftp://, scp://…).
  if (url.rfind("https://", 0) != 0 && url.rfind("http://", 0) != 0 && url.rfind("file://", 0) != 0)
    return make_error("the locked URL '" + url + "' is not an https://, http:// or file:// URL" + fix);
  if (req.locked_checksum.empty()) return make_error("the lock gives no checksum for " + url + fix);
  auto sum = net::parse_checksum(req.locked_checksum);
  if (!sum)
    return make_error("the locked checksum '" + req.locked_checksum + "' of " + url + " is not a checksum (" +
                      sum.error() + ")" + fix);
  return LockedArtifact{under_mirror(url, upstream_base, mirror), *sum};
}

Expected<std::vector<LockPlatform>> lock_platforms(const std::vector<std::string>& names) {
  static const LockPlatform known[] = {
      {"linux-x64", "linux", "x64", "amd64", "x86_64-unknown-linux-gnu"},
      {"linux-arm64", "linux", "arm64", "arm64", "aarch64-unknown-linux-gnu"},
      {"macos-x64", "darwin", "x64", "amd64", "x86_64-apple-darwin"},
      {"macos-arm64", "darwin", "arm64", "arm64", "aarch64-apple-darwin"},
  };
  std::vector<LockPlatform> out;
  for (const auto& name : names) {
    const LockPlatform* found = nullptr;
    for (const auto& p : known)
      if (p.name == name) found = &p;
    if (!found)
      return make_error("unknown platform '" + name +
                        "' to lock: rtx locks linux-x64, linux-arm64, macos-x64 and macos-arm64");
    out.push_back(*found);
  }
  return out;
}

}  // namespace rtx::backends::core
