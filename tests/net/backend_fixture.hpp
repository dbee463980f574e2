// Shared by the backend lock tests (lock_artifacts_test, locked_install_test):
// a NetTest whose environment names none of the developer's mirrors,
// registries or release lists, and per "machine" a BackendEnv (store and
// download cache) of its own in the test's temporary folder, so what one
// machine downloaded never serves another from its cache.
#pragma once

#include <openssl/evp.h>

#include <string>

#include "manager/backends/backend.hpp"
#include "manager/backends/backend_env.hpp"
#include "manager/net/checksum.hpp"
#include "net_fixture.hpp"

namespace rtx::test {

inline net::Checksum sha512_of(const std::string& data) {
  return net::Checksum{net::HashAlgorithm::sha512, net::to_hex(digest_bytes(data, EVP_sha512()))};
}

// A sha256 hex digest made of `digit`: for index fixtures that only need
// distinct, well-formed checksums.
inline std::string fake_hex(char digit) { return std::string(64, digit); }

inline const std::vector<std::string> kAllLockPlatforms = {"linux-x64", "linux-arm64", "macos-x64", "macos-arm64"};

class BackendTest : public NetTest {
 protected:
  backends::BackendEnv machine(const std::string& name) const {
    return backends::BackendEnv{resolver::StoreLayout{tmp / (name + "/data")}, tmp / (name + "/cache")};
  }

  ScopedEnv backend_env_[13] = {{"RTX_NODE_MIRROR", nullptr},
                                {"RTX_GO_MIRROR", nullptr},
                                {"RTX_PYTHON_MIRROR", nullptr},
                                {"RTX_PYTHON_RELEASES", nullptr},
                                {"RTX_RUST_MIRROR", nullptr},
                                {"RTX_MAX_METADATA_BYTES", nullptr},
                                {"RTX_MAX_EXTRACT_BYTES", nullptr},
                                {"RTX_OFFLINE", nullptr},
                                {"NPM_CONFIG_REGISTRY", nullptr},
                                {"npm_config_registry", nullptr},
                                {"npm_config_userconfig", nullptr},
                                {"NPM_CONFIG_USERCONFIG", tmp / "no-user-npmrc"},
                                {"HOME", tmp.path()}};
};

}  // namespace rtx::test
