#include "manager/net/download_cache.hpp"

#include <unistd.h>

#include "manager/net/hashing.hpp"
#include "manager/util/fs.hpp"

namespace rtx::net {

std::string cache_entry_dir(const std::string& cache_dir, const Checksum& checksum) {
  return cache_dir + "/downloads/" + std::string(algorithm_name(checksum.algorithm)) + "-" + checksum.hex;
}

std::string filename_from_url(const std::string& url) {
  std::string path = url.substr(0, url.find_first_of("?#"));
  auto scheme = path.find("://");
  if (scheme != std::string::npos) {
    auto slash = path.find('/', scheme + 3);
    path = slash == std::string::npos ? "" : path.substr(slash);
  }
  std::string name = path.substr(path.rfind('/') + 1);  // npos + 1 == 0: the whole string
  if (name.empty() || name == "." || name == ".." || name.find('\0') != std::string::npos) return "download";
  return name;
}

Expected<bool> verify_cached(const std::string& path, const Checksum& expected, bool remove_mismatch) {
  if (!util::exists(path)) return false;
  auto actual = hash_file(path, expected.algorithm);
  if (!actual) {
    if (!util::exists(path)) return false;  // deleted meanwhile by a lock holder: damaged, so a miss anyway
    return Error{actual.error()};
  }
  if (*actual == expected) return true;
  if (!remove_mismatch) return false;
  if (::unlink(path.c_str()) != 0)
    return make_error("cached " + path + " does not match " + expected.to_string() +
                      " and cannot be deleted: " + util::errno_text() + ": delete it by hand");
  return false;
}

void remove_empty_entry(const std::string& entry_dir) { ::rmdir(entry_dir.c_str()); }

}  // namespace rtx::net
