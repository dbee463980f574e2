// node's SHASUMS256.txt, vouched for by a release key (issue 10 item 2):
// beside it on nodejs.org (and on a mirror that copies the folder) are
// SHASUMS256.txt.sig, a detached binary signature, and SHASUMS256.txt.asc,
// the same text clear-signed. Either is checked with gpgv against node's
// release keys (verify/keyring.hpp), per RTX_NODE_SIGNATURES (verify/signature_policy.hpp):
//
//   require  no .sig nor .asc, or no gpgv: refused, one line
//   prefer   no .sig nor .asc, or no gpgv: one notice on stderr, the checksums are used as they are
//   skip     nothing fetched
//   a signature that does not verify is refused under require and prefer.
//
// Verified, the checksums' origin is ChecksumOrigin::signed_index (so even a
// plain http:// mirror may serve the tarball: fetch.hpp check_transport).
#pragma once

#include <string>

#include "manager/backends/backend_env.hpp"
#include "manager/backends/core/fetch.hpp"
#include "resolver/expected.hpp"

namespace rtx::backends::core {

struct CheckedShasums {
  std::string text;  // the checksums to use: for a clear-signed .asc, the text gpgv verified
  ChecksumOrigin origin = ChecksumOrigin::index;
};

// `text` is SHASUMS256.txt of node `version`, fetched from `url`.
Expected<CheckedShasums> check_node_shasums(const BackendEnv& env, const std::string& version, const std::string& url,
                                            std::string text);

}  // namespace rtx::backends::core
