// The OpenPGP keyring gpgv checks node's SHASUMS256.txt against (issue 10 item
// 2). Keys come from RTX_NODE_KEYRING when set — a keyring file (armored or
// binary) or a directory of armored *.asc files — else from the release keys
// shipped with rtx in <prefix>/share/rtx/keys/node (beside bin/rtx, as
// `cmake --install` and the .deb lay it out; the build tree gets a copy).
//
//   auto source = verify::node_key_source();                       // a path
//   auto keyring = verify::prepare_keyring(*source, roots.cache, "node");
//   // *keyring: $RTX_CACHE_DIR/keys/node-<digest>.gpg, ready for gpgv --keyring
//
// Armored keys are de-armored here (armor.hpp) into one binary keyring,
// written atomically and named by the digest of its contents, so a change of
// the sources gives a new file and concurrent rtx runs never see a half one.
#pragma once

#include <string>

#include "resolver/expected.hpp"

namespace rtx::verify {

// <dir of the rtx binary>/../share/rtx/keys/node.
std::string shipped_node_keys_dir();

// RTX_NODE_KEYRING (made absolute) when set, else shipped_node_keys_dir().
// An error when the chosen path does not exist, naming it and the fix.
Expected<std::string> node_key_source();

// A binary keyring for `source`: a binary keyring file is used as it is (its
// absolute path); an armored file or a directory of *.asc files becomes
// <cache_dir>/keys/<name>-<digest>.gpg, built when missing or different.
Expected<std::string> prepare_keyring(const std::string& source, const std::string& cache_dir, const std::string& name);

}  // namespace rtx::verify
