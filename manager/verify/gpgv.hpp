// Checking an OpenPGP signature with the system's gpgv (Debian package gpgv),
// run as a child process with the keyring given explicitly and no shell
// (issue 10 item 2; DESIGN.md §1). gpgv trusts every key in the keyring it is
// given and reads no other: not ~/.gnupg, not the user's trustedkeys.
//
//   GpgvRequest r;
//   r.keyring = *verify::prepare_keyring(...);
//   r.signature = dir + "/SHASUMS256.txt.sig";
//   r.data = dir + "/SHASUMS256.txt";            // empty for a clear-signed file…
//   r.output = dir + "/SHASUMS256.signed.txt";   // …whose signed text goes here
//   auto verdict = verify::run_gpgv(r);          // error: gpgv could not run at all
#pragma once

#include <string>

#include "manager/verify/gpgv_status.hpp"
#include "resolver/expected.hpp"

namespace rtx::verify {

struct GpgvRequest {
  std::string keyring;    // a binary keyring or keybox, absolute path
  std::string signature;  // a detached signature (binary or armored), or a clear-signed file
  std::string data;       // the signed file; empty when `signature` is clear-signed
  std::string output;     // clear-signed only: where gpgv writes the text it verified
  std::string home;       // an empty, rtx-owned GnuPG home (need not exist): nothing of the user's is read
};

// gpgv from PATH, else /usr/bin/gpgv; "" when there is none.
std::string find_gpgv();

// Runs gpgv (bounded by a timeout) and judges its status output. The error
// case is only "gpgv could not run" (missing, killed, timed out); a signature
// that fails is a verdict.
Expected<GpgvVerdict> run_gpgv(const GpgvRequest& request);

}  // namespace rtx::verify
