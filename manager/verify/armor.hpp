// ASCII armor (RFC 4880 §6.2) to the binary OpenPGP packets gpgv reads
// (issue 10 item 2). node's release keys are published armored, one
// "-----BEGIN PGP PUBLIC KEY BLOCK-----" block per file; gpgv's --keyring wants
// the packets themselves, so the base64 between BEGIN and END is decoded here.
//
//   auto packets = verify::dearmor_public_keys(text, "share/rtx/keys/node/4ED7….asc");
//
// Armor headers ("Comment: …") and the "=XXXX" CRC-24 line are skipped: the
// CRC only guards against mail transport damage, and gpgv checks the keys
// themselves. Several blocks in one text are concatenated in order.
#pragma once

#include <string>
#include <string_view>

#include "resolver/expected.hpp"

namespace rtx::verify {

// True when `text` starts (after whitespace) with an armor BEGIN line.
bool looks_armored(std::string_view text);

// The packets of every PUBLIC KEY BLOCK in `text`. `where` names the source in
// errors: "<where>:<line>: …". No block, an unterminated block, a block of
// another type (a signature, a private key), bad base64 or a body that is not
// an OpenPGP packet are errors.
Expected<std::string> dearmor_public_keys(std::string_view text, const std::string& where);

}  // namespace rtx::verify
