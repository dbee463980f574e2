#include "manager/mirror/artifact_cache.hpp"

#include <dirent.h>
#include <sys/stat.h>

#include <algorithm>

#include "manager/net/download_cache.hpp"
#include "manager/net/downloader.hpp"
#include "manager/net/offline.hpp"

namespace rtx::mirror {
namespace {

// The files of a cache entry that may hold the artifact: the name its
// upstream URL gives first, then the name this machine fetched it under (a
// registry's tarball URL need not end like npm's), then any other.
std::vector<std::string> cache_candidates(const std::string& entry, const ArtifactSource& a) {
  std::vector<std::string> names{net::filename_from_url(a.upstream_url), net::filename_from_url(a.fetch_url)};
  if (DIR* d = ::opendir(entry.c_str())) {
    while (dirent* de = ::readdir(d)) {
      std::string n = de->d_name;
      bool partial = n.size() > 5 && n.compare(n.size() - 5, 5, ".part") == 0;
      if (n[0] != '.' && !partial) names.push_back(n);
    }
    ::closedir(d);
  }
  std::vector<std::string> out;
  for (const auto& n : names) {
    std::string path = entry + "/" + n;
    struct stat st {};
    if (std::find(out.begin(), out.end(), path) == out.end() && ::lstat(path.c_str(), &st) == 0 && S_ISREG(st.st_mode))
      out.push_back(path);
  }
  return out;
}

}  // namespace

Expected<std::string> cached_artifact(const std::string& cache_dir, const ArtifactSource& a) {
  const std::string entry = net::cache_entry_dir(cache_dir, a.checksum);
  for (const auto& path : cache_candidates(entry, a)) {
    // Without the entry's .part lock a mismatch is left for the downloader to deal with.
    auto ok = net::verify_cached(path, a.checksum, false);
    if (!ok) return Error{a.label + ": " + ok.error()};
    if (*ok) return path;
  }
  auto offline = net::offline_mode();
  if (!offline) return Error{offline.error()};
  const std::string filename = net::filename_from_url(a.upstream_url);
  if (*offline && net::needs_network(a.fetch_url))
    return make_error(a.label + ": " + filename + " (" + a.checksum.to_string() + ") is not in the download cache " +
                      entry + " and " + net::offline_reason() +
                      " fetches nothing: run the export once with the network, or install that version first");
  if (auto st = backends::core::check_transport(
          a.fetch_url, a.origin,
          "use an https:// mirror, or export from the lock ('rtx mirror export DIR --from-lock')");
      !st)
    return Error{a.label + ": " + st.error()};
  net::DownloadRequest req;
  req.url = a.fetch_url;
  req.expected = a.checksum;
  req.cache_dir = cache_dir;
  req.filename = filename;
  req.hint = a.hint;
  req.headers = a.headers;
  auto got = net::download(req);
  if (!got) return Error{a.label + ": " + got.error()};
  return got->path;
}

}  // namespace rtx::mirror
