#include "manager/backends/core/node_signature.hpp"

#include <fcntl.h>
#include <stdlib.h>
#include <unistd.h>

#include <cstdlib>
#include <string_view>

#include "manager/util/fs.hpp"
#include "manager/util/log.hpp"
#include "manager/verify/gpgv.hpp"
#include "manager/verify/keyring.hpp"
#include "manager/verify/signature_policy.hpp"
#include "resolver/file_io.hpp"
#include "resolver/roots.hpp"

namespace rtx::backends::core {
namespace {

using verify::GpgvVerdict;
using verify::SignaturePolicy;

constexpr const char* kNodeSignatureHint = "check RTX_NODE_MIRROR";
// A detached signature is a few hundred bytes, a clear-signed SHASUMS256.txt
// a few KiB; node's SHASUMS256.txt itself stays under 8 KiB.
constexpr std::uint64_t kMaxNodeSignatureBytes = std::uint64_t{1} << 20;

// A private folder under $RTX_CACHE_DIR/tmp for gpgv's inputs, removed on scope exit.
class NodeSignatureScratch {
 public:
  explicit NodeSignatureScratch(const std::string& cache_dir) {
    std::string parent = cache_dir + "/tmp";
    if (auto made = util::make_dirs(parent); !made) {
      error_ = made.error();
      return;
    }
    std::string tmpl = parent + "/node-signature-XXXXXX";
    if (!::mkdtemp(tmpl.data())) {
      error_ = "cannot create a folder in " + parent + ": " + util::errno_text();
      return;
    }
    dir_ = tmpl;
  }
  ~NodeSignatureScratch() {
    if (!dir_.empty()) (void)util::remove_tree(dir_);
  }
  NodeSignatureScratch(const NodeSignatureScratch&) = delete;
  NodeSignatureScratch& operator=(const NodeSignatureScratch&) = delete;

  const std::string& error() const { return error_; }
  Expected<std::string> write(const std::string& name, std::string_view bytes) const {
    std::string path = dir_ + "/" + name;
    int fd = ::open(path.c_str(), O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0600);
    bool ok = fd >= 0 && ::write(fd, bytes.data(), bytes.size()) == ssize_t(bytes.size());
    if (fd >= 0 && ::close(fd) != 0) ok = false;
    if (!ok) return make_error("cannot write " + path + ": " + util::errno_text());
    return path;
  }
  std::string path(const std::string& name) const { return dir_ + "/" + name; }

 private:
  std::string dir_;
  std::string error_;
};

// What a download failure means for a signature: the mirror does not publish
// it (404/410, or 403 as S3 answers for a missing object), or something else.
bool node_signature_absent(const std::string& download_error) {
  for (const char* status : {": HTTP 404", ": HTTP 410", ": HTTP 403"})
    if (download_error.find(status) != std::string::npos) return true;
  return false;
}

struct FetchedSignature {
  std::string url;  // "" when neither is published
  std::string bytes;
  bool clear_signed = false;
};

Expected<FetchedSignature> fetch_node_signature(const BackendEnv& env, const std::string& url) {
  for (const char* suffix : {".sig", ".asc"}) {
    FetchedSignature f;
    f.url = url + suffix;
    f.clear_signed = std::string_view(suffix) == ".asc";
    if (f.url.rfind("file://", 0) == 0 && !util::exists(f.url.substr(7))) continue;
    auto got = fetch_text(env, f.url, kNodeSignatureHint, kMaxNodeSignatureBytes);
    if (got) {
      f.bytes = std::move(*got);
      return f;
    }
    if (!node_signature_absent(got.error())) return Error{got.error()};
  }
  return FetchedSignature{};
}

std::string node_signature_fix(GpgvVerdict::Kind kind, const std::string& keyring) {
  switch (kind) {
    case GpgvVerdict::Kind::bad_signature:
      return "the mirror's file was changed after node signed it; check RTX_NODE_MIRROR";
    case GpgvVerdict::Kind::no_public_key:
      return "if node has a new release key, update rtx or point RTX_NODE_KEYRING at a keyring holding it (keyring: " +
             keyring + ")";
    case GpgvVerdict::Kind::keyring_error:
      return keyring + ": fix or unset RTX_NODE_KEYRING";
    case GpgvVerdict::Kind::not_a_signature:
      return "the mirror's signature file is damaged; check RTX_NODE_MIRROR";
    default:
      return "node's release keys do not vouch for it; check RTX_NODE_MIRROR";
  }
}

}  // namespace

Expected<CheckedShasums> check_node_shasums(const BackendEnv& env, const std::string& version, const std::string& url,
                                            std::string text) {
  CheckedShasums out{std::move(text), ChecksumOrigin::index};
  auto roots = resolver::roots_from_env();
  if (!roots) return Error{roots.error()};
  auto policy = verify::signature_policy("node", roots->config);
  if (!policy) return Error{policy.error()};
  if (*policy == SignaturePolicy::skip) return out;
  std::string what = "SHASUMS256.txt for node " + version + " from " + url;

  // Unverifiable: refused under require, one notice under prefer.
  auto unverified = [&](const std::string& why, const std::string& fix) -> Expected<CheckedShasums> {
    if (*policy == SignaturePolicy::require)
      return make_error(what + ": " + why + ", and RTX_NODE_SIGNATURES (or node_signatures) is require: " + fix);
    util::log_warn(what + ": " + why + ": installing on its checksum alone (RTX_NODE_SIGNATURES=require refuses this)");
    return out;
  };

  auto sig = fetch_node_signature(env, url);
  if (!sig) return Error{sig.error()};
  if (sig->url.empty())
    return unverified("not signed (no SHASUMS256.txt.sig or .asc beside it)",
                      "use a mirror that copies node's signatures, or set RTX_NODE_SIGNATURES=prefer");
  if (verify::find_gpgv().empty())
    return unverified("cannot check its signature without gpgv", "install gpgv (Debian/Ubuntu: apt-get install gpgv)");

  auto source = verify::node_key_source();
  if (!source) {
    const char* chosen = std::getenv("RTX_NODE_KEYRING");
    if (chosen && *chosen) return Error{source.error()};  // the user's own setting is wrong: always an error
    return unverified("rtx's copy of node's release keys is missing", source.error());
  }
  auto keyring = verify::prepare_keyring(*source, env.cache_dir, "node");
  if (!keyring) return Error{keyring.error()};

  NodeSignatureScratch scratch(env.cache_dir);
  if (!scratch.error().empty()) return make_error(scratch.error());
  verify::GpgvRequest request;
  request.keyring = *keyring;
  request.home = env.cache_dir + "/keys/gnupg-home";  // never created: gpgv reads nothing of the user's
  auto sig_file = scratch.write(sig->clear_signed ? "SHASUMS256.txt.asc" : "SHASUMS256.txt.sig", sig->bytes);
  if (!sig_file) return Error{sig_file.error()};
  request.signature = *sig_file;
  if (sig->clear_signed) {
    request.output = scratch.path("signed.txt");
  } else {
    auto data = scratch.write("SHASUMS256.txt", out.text);
    if (!data) return Error{data.error()};
    request.data = *data;
  }
  auto verdict = verify::run_gpgv(request);
  if (!verdict) return make_error(what + ": " + verdict.error());
  if (verdict->kind != GpgvVerdict::Kind::good)
    return make_error(what + ": " + verdict->detail + " (" + sig->url +
                      "): " + node_signature_fix(verdict->kind, *keyring));
  if (sig->clear_signed) {
    // The checksums are the text the signature covers, not the separate
    // SHASUMS256.txt, which nothing vouches for.
    std::string signed_text;
    if (resolver::read_file(request.output, signed_text) != 0)
      return make_error("cannot read what gpgv verified in " + request.output + ": " + util::errno_text());
    out.text = std::move(signed_text);
  }
  util::log_debug(what + ": " + verdict->detail);
  out.origin = ChecksumOrigin::signed_index;
  return out;
}

}  // namespace rtx::backends::core
