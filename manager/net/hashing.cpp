#include "manager/net/hashing.hpp"

#include <fcntl.h>
#include <openssl/evp.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <new>
#include <vector>

#include "manager/util/fs.hpp"
#include "resolver/unique_fd.hpp"

namespace rtx::net {
namespace {

const EVP_MD* md_of(HashAlgorithm algorithm) {
  return algorithm == HashAlgorithm::sha256 ? EVP_sha256() : EVP_sha512();
}

// Failures of EVP on a valid context are out-of-memory or a broken OpenSSL:
// not something a user can fix, so they are exceptions (STYLE.md).
void check(int ok) {
  if (ok != 1) throw std::bad_alloc();
}

}  // namespace

Hasher::Hasher(HashAlgorithm algorithm) : algorithm_(algorithm), ctx_(EVP_MD_CTX_new()) {
  if (!ctx_) throw std::bad_alloc();
  reset();
}

Hasher::~Hasher() { EVP_MD_CTX_free(ctx_); }

Hasher::Hasher(Hasher&& other) noexcept : algorithm_(other.algorithm_), ctx_(other.ctx_) { other.ctx_ = nullptr; }

Hasher& Hasher::operator=(Hasher&& other) noexcept {
  if (this != &other) {
    EVP_MD_CTX_free(ctx_);
    algorithm_ = other.algorithm_;
    ctx_ = other.ctx_;
    other.ctx_ = nullptr;
  }
  return *this;
}

void Hasher::reset() { check(EVP_DigestInit_ex(ctx_, md_of(algorithm_), nullptr)); }

void Hasher::update(const void* data, std::size_t size) { check(EVP_DigestUpdate(ctx_, data, size)); }

Checksum Hasher::finish() {
  unsigned char digest[EVP_MAX_MD_SIZE];
  unsigned int size = 0;
  check(EVP_DigestFinal_ex(ctx_, digest, &size));
  reset();
  Checksum out;
  out.algorithm = algorithm_;
  out.hex = to_hex(std::string_view(reinterpret_cast<const char*>(digest), size));
  return out;
}

namespace {

// Feeds up to `limit` bytes; reaching the end of the file first is an error
// only when `exact` (a .part must hold every byte it claims to).
Status hash_fd(const std::string& path, std::uint64_t limit, bool exact, Hasher& hasher) {
  UniqueFd fd(::open(path.c_str(), O_RDONLY | O_CLOEXEC));
  if (!fd.valid()) return make_error("cannot read " + path + ": " + util::errno_text() + ": check its permissions");
  ::posix_fadvise(fd.get(), 0, 0, POSIX_FADV_SEQUENTIAL);
  std::vector<char> buf(1 << 20);
  std::uint64_t left = limit;
  while (left > 0) {
    ssize_t n = ::read(fd.get(), buf.data(), std::size_t(std::min<std::uint64_t>(left, buf.size())));
    if (n < 0 && errno == EINTR) continue;
    if (n == 0 && !exact) break;
    if (n <= 0) {
      std::string why = n == 0 ? "it is shorter than expected" : util::errno_text();
      return make_error("cannot read " + path + ": " + why + ": delete it and try again");
    }
    hasher.update(buf.data(), std::size_t(n));
    left -= std::uint64_t(n);
  }
  return ok_status();
}

}  // namespace

Status hash_file_prefix(const std::string& path, std::uint64_t size, Hasher& hasher) {
  return hash_fd(path, size, true, hasher);
}

Expected<Checksum> hash_file(const std::string& path, HashAlgorithm algorithm) {
  Hasher hasher(algorithm);
  if (Status s = hash_fd(path, UINT64_MAX, false, hasher); !s) return Error{s.error()};
  return hasher.finish();
}

}  // namespace rtx::net
