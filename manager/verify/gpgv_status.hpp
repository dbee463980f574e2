// What gpgv's --status-fd lines say about a signature (issue 10 item 2), as
// GnuPG's doc/DETAILS defines them: one group per "NEWSIG", then GOODSIG /
// EXPKEYSIG / EXPSIG / REVKEYSIG / BADSIG / ERRSIG (with NO_PUBKEY), KEYEXPIRED
// and VALIDSIG; NODATA when the input held no signature; ERROR when gpgv
// itself failed (a keyring it cannot read).
//
//   GpgvVerdict v = gpgv_verdict(status_lines, exit_code);
//   if (v.kind != GpgvVerdict::Kind::good) … v.key, v.detail …
//
// A signature counts when it is good, or made by a key that has expired since
// (EXPKEYSIG) but before that key expired: node signs each release once, and a
// release signed in 2020 by a key that expired in 2023 is as authentic today.
// Every signature in the input must count, and there must be one at least.
#pragma once

#include <string>
#include <string_view>

namespace rtx::verify {

struct GpgvVerdict {
  enum class Kind {
    good,
    bad_signature,      // BADSIG: the data is not what was signed
    no_public_key,      // ERRSIG rc 9 / NO_PUBKEY: signed by a key not in the keyring
    expired_key,        // EXPKEYSIG, signed after (or not provably before) the key expired
    expired_signature,  // EXPSIG
    revoked_key,        // REVKEYSIG
    not_a_signature,    // NODATA, or no signature at all
    keyring_error,      // ERROR while reading the keyring
    failed,             // ERRSIG for another reason, or gpgv failed without saying why
  };
  Kind kind = Kind::failed;
  std::string key;     // the signing key: its fingerprint when gpgv gave one, else the long key id
  std::string user;    // its user id, when gpgv named it
  std::string detail;  // for an error line: "bad signature by key …", "signed by key …, which is not in the keyring"
};

// Judges gpgv's status output (other lines, e.g. its log on the same fd, are
// ignored) and its exit code. Hostile input safe: any text gives a verdict.
GpgvVerdict gpgv_verdict(std::string_view status, int exit_code);

}  // namespace rtx::verify
