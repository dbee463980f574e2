// A throwaway OpenPGP signing key, made at test time with GnuPG's gpg (Debian
// package gnupg) in its own home folder, for tests of rtx's gpgv checks
// (issue 10 item 2). No test ships a private key.
//
//   if (!test::TestGpgKey::available()) GTEST_SKIP() << "gpg is not installed";
//   test::TestGpgKey key(tmp / "gnupg");
//   key.sign_detached(tmp / "SHASUMS256.txt", tmp / "SHASUMS256.txt.sig");
//   write(tmp / "key.asc", key.public_key(true));
//
// Each call runs gpg through /bin/sh with every argument quoted; its agent
// (gpg starts one per home) is stopped by the destructor.
#pragma once

#include <stdio.h>
#include <stdlib.h>
#include <sys/stat.h>
#include <unistd.h>

#include <stdexcept>
#include <string>

namespace rtx::test {

class TestGpgKey {
 public:
  static bool available() {
    return ::access("/usr/bin/gpg", X_OK) == 0 || std::system("command -v gpg >/dev/null 2>&1") == 0;
  }

  // Makes `home` (0700) and an ed25519 signing key without a passphrase in it.
  explicit TestGpgKey(std::string home, const std::string& uid = "rtx test <test@invalid>") : home_(std::move(home)) {
    ::mkdir(home_.c_str(), 0700);
    run("--passphrase '' --quick-gen-key " + quote(uid) + " ed25519 sign never");
    std::string colons = run("--with-colons --list-keys");
    std::size_t fpr = colons.find("\nfpr:");
    if (fpr == std::string::npos) throw std::runtime_error("gpg made no key in " + home_);
    std::size_t start = colons.find_first_not_of(':', fpr + 5);
    fingerprint_ = colons.substr(start, colons.find(':', start) - start);
  }
  ~TestGpgKey() {
    std::string cmd = "gpgconf --homedir " + quote(home_) + " --kill gpg-agent >/dev/null 2>&1";
    (void)!std::system(cmd.c_str());
  }
  TestGpgKey(const TestGpgKey&) = delete;
  TestGpgKey& operator=(const TestGpgKey&) = delete;

  const std::string& fingerprint() const { return fingerprint_; }     // 40 hex digits, upper case
  std::string long_keyid() const { return fingerprint_.substr(24); }  // its last 16
  const std::string& home() const { return home_; }

  void sign_detached(const std::string& file, const std::string& signature) const {
    run("--yes --detach-sign -o " + quote(signature) + " " + quote(file));
  }
  void clear_sign(const std::string& file, const std::string& out) const {
    run("--yes --clearsign -o " + quote(out) + " " + quote(file));
  }
  // The public key, binary (gpg --export) or armored (--armor).
  std::string public_key(bool armored) const { return run(std::string(armored ? "--armor " : "") + "--export"); }

  static std::string quote(const std::string& s) {
    std::string out = "'";
    for (char c : s) out += c == '\'' ? std::string("'\\''") : std::string(1, c);
    return out + "'";
  }

 private:
  std::string run(const std::string& args) const {
    std::string cmd =
        "gpg --batch --quiet --no-tty --trust-model always --homedir " + quote(home_) + " " + args + " 2>/dev/null";
    FILE* p = ::popen(cmd.c_str(), "r");
    if (!p) throw std::runtime_error("cannot run gpg");
    std::string out;
    char buf[4096];
    for (std::size_t n; (n = std::fread(buf, 1, sizeof buf, p)) > 0;) out.append(buf, n);
    if (::pclose(p) != 0) throw std::runtime_error("failed: " + cmd);
    return out;
  }

  std::string home_;
  std::string fingerprint_;
};

}  // namespace rtx::test
