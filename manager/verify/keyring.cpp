#include "manager/verify/keyring.hpp"

#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <cstdlib>
#include <filesystem>
#include <vector>

#include "manager/net/hashing.hpp"
#include "manager/store/atomic_file.hpp"
#include "manager/util/fs.hpp"
#include "manager/verify/armor.hpp"
#include "resolver/file_io.hpp"

namespace rtx::verify {
namespace {

// node's keys are a few KiB each; a key with every signature ever made on it
// stays far below this. A bound, so a wrong RTX_NODE_KEYRING (a disk image)
// fails at once instead of filling memory.
constexpr off_t kMaxKeyFileBytes = off_t{4} << 20;
constexpr std::size_t kMaxKeyFiles = 1000;

Expected<std::string> read_key_file(const std::string& path) {
  struct stat st {};
  if (::stat(path.c_str(), &st) != 0) return make_error("cannot read " + path + ": " + util::errno_text());
  if (!S_ISREG(st.st_mode))
    return make_error(path + " is not a regular file: give a key file or a folder of .asc files");
  if (st.st_size > kMaxKeyFileBytes) return make_error(path + " is over 4 MiB: not a key file");
  std::string text;
  if (resolver::read_file(path, text) != 0) return make_error("cannot read " + path + ": " + util::errno_text());
  return text;
}

// The *.asc files of `dir`, sorted (the keyring's bytes do not depend on readdir order).
Expected<std::vector<std::string>> key_files_in(const std::string& dir) {
  std::vector<std::string> out;
  std::error_code ec;
  for (const auto& e : std::filesystem::directory_iterator(dir, ec)) {
    std::string name = e.path().filename().string();
    if (name.size() > 4 && name.compare(name.size() - 4, 4, ".asc") == 0 && name[0] != '.')
      out.push_back(e.path().string());
    if (out.size() > kMaxKeyFiles) return make_error(dir + " holds over 1000 .asc files: not a key folder");
  }
  if (ec) return make_error("cannot list " + dir + ": " + ec.message());
  if (out.empty()) return make_error(dir + " holds no .asc key files: add the armored public keys there");
  std::sort(out.begin(), out.end());
  return out;
}

Expected<std::string> write_keyring(const std::string& packets, const std::string& cache_dir, const std::string& name) {
  std::string dir = cache_dir + "/keys";
  net::Hasher hasher(net::HashAlgorithm::sha256);
  hasher.update(packets);
  std::string digest = hasher.finish().hex.substr(0, 16);
  std::string path = dir + "/" + name + "-" + digest + ".gpg";
  std::string existing;
  struct stat st {};
  // Reused only when it is our own regular file with exactly these bytes: the
  // cache may be shared (issue 10 item 6), and a keyring decides what is trusted.
  if (::lstat(path.c_str(), &st) == 0 && S_ISREG(st.st_mode) && st.st_uid == ::geteuid() &&
      resolver::read_file(path, existing) == 0 && existing == packets)
    return path;
  if (auto made = util::make_dirs(dir); !made) return Error{made.error()};
  if (auto written = store::write_file_atomic(path, packets, 0644); !written) return Error{written.error()};
  return path;
}

}  // namespace

std::string shipped_node_keys_dir() { return util::parent_dir(util::self_dir()) + "/share/rtx/keys/node"; }

Expected<std::string> node_key_source() {
  const char* env = std::getenv("RTX_NODE_KEYRING");
  if (env && *env) {
    char cwd[4096];
    std::string path = util::absolute(env, ::getcwd(cwd, sizeof cwd) ? cwd : "/");
    if (!util::exists(path))
      return make_error("RTX_NODE_KEYRING=" + std::string(env) +
                        " does not exist: point it at a keyring file or a folder of .asc keys, or unset it");
    return path;
  }
  std::string dir = shipped_node_keys_dir();
  if (!util::exists(dir))
    return make_error("node's release keys are not at " + dir +
                      ": reinstall rtx, or set RTX_NODE_KEYRING to a keyring of node's release keys");
  return dir;
}

Expected<std::string> prepare_keyring(const std::string& source, const std::string& cache_dir,
                                      const std::string& name) {
  struct stat st {};
  if (::stat(source.c_str(), &st) != 0) return make_error("cannot read " + source + ": " + util::errno_text());
  std::string packets;
  if (S_ISDIR(st.st_mode)) {
    auto files = key_files_in(source);
    if (!files) return Error{files.error()};
    for (const auto& file : *files) {
      auto text = read_key_file(file);
      if (!text) return Error{text.error()};
      auto keys = dearmor_public_keys(*text, file);
      if (!keys) return Error{keys.error()};
      packets += *keys;
    }
  } else {
    auto text = read_key_file(source);
    if (!text) return Error{text.error()};
    if (!looks_armored(*text)) {
      // OpenPGP packets have the top bit of their first byte set; a keybox
      // (gpg's .kbx) has "KBXf" in its first blob.
      bool keybox = text->size() >= 12 && text->compare(8, 4, "KBXf") == 0;
      if (!keybox && (text->empty() || !(static_cast<unsigned char>((*text)[0]) & 0x80)))
        return make_error(source +
                          " is neither an armored nor a binary OpenPGP keyring: export one with "
                          "'gpg --export KEYID > FILE'");
      return source;  // binary already: gpgv reads it as it is
    }
    auto keys = dearmor_public_keys(*text, source);
    if (!keys) return Error{keys.error()};
    packets = std::move(*keys);
  }
  return write_keyring(packets, cache_dir, name);
}

}  // namespace rtx::verify
