// Judging gpgv's --status-fd output (issue 10 item 2). The samples are what
// gpgv 2.2 printed for real signatures (log lines interleaved, --logger-fd 1).
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "manager/verify/gpgv_status.hpp"

namespace rtx::verify {
namespace {

using ::testing::HasSubstr;
using GpgvKind = GpgvVerdict::Kind;

const std::string kGoodStatus =
    "[GNUPG:] NEWSIG\n"
    "gpgv: Signature made Sat Dec  5 13:16:42 2026 UTC\n"
    "[GNUPG:] KEY_CONSIDERED 1C3439F91780E32151BC1916EC47D1ECA05AFB1C 0\n"
    "[GNUPG:] SIG_ID 3QqoaMMxmgcGhBJ/LQu/G+aecds 2026-12-05 1796476602\n"
    "[GNUPG:] GOODSIG EC47D1ECA05AFB1C other <x@invalid>\n"
    "gpgv: Good signature from \"other <x@invalid>\"\n"
    "[GNUPG:] VALIDSIG 1C3439F91780E32151BC1916EC47D1ECA05AFB1C 2026-12-05 1796476602 0 4 0 22 8 00 "
    "1C3439F91780E32151BC1916EC47D1ECA05AFB1C\n";

TEST(GpgvStatus, GoodSignatureNamesThePrimaryFingerprintAndUser) {
  GpgvVerdict v = gpgv_verdict(kGoodStatus, 0);
  EXPECT_EQ(v.kind, GpgvKind::good);
  EXPECT_EQ(v.key, "1C3439F91780E32151BC1916EC47D1ECA05AFB1C");
  EXPECT_EQ(v.user, "other <x@invalid>");
}

TEST(GpgvStatus, GoodLinesButAFailingExitIsNotTrusted) {
  GpgvVerdict v = gpgv_verdict(kGoodStatus, 2);
  EXPECT_EQ(v.kind, GpgvKind::failed);
  EXPECT_THAT(v.detail, HasSubstr("status 2"));
}

TEST(GpgvStatus, BadSignatureNamesTheKey) {
  GpgvVerdict v = gpgv_verdict(
      "[GNUPG:] NEWSIG\n[GNUPG:] KEYEXPIRED 1609372800\n"
      "[GNUPG:] BADSIG 10D29F256758F9AF old <o@invalid>\n",
      1);
  EXPECT_EQ(v.kind, GpgvKind::bad_signature);
  EXPECT_EQ(v.key, "10D29F256758F9AF");
  EXPECT_THAT(v.detail, HasSubstr("bad signature by key 10D29F256758F9AF (old <o@invalid>)"));
}

TEST(GpgvStatus, BadSignatureNamesTheWholeFingerprintWhenGpgvConsideredIt) {
  GpgvVerdict v = gpgv_verdict(
      "[GNUPG:] NEWSIG\n[GNUPG:] KEY_CONSIDERED 0A96FB92C38D0A604F65D45510D29F256758F9AF 0\n"
      "[GNUPG:] BADSIG 10D29F256758F9AF old <o@invalid>\n",
      1);
  EXPECT_EQ(v.key, "0A96FB92C38D0A604F65D45510D29F256758F9AF");
  GpgvVerdict other = gpgv_verdict(
      "[GNUPG:] NEWSIG\n[GNUPG:] KEY_CONSIDERED 1C3439F91780E32151BC1916EC47D1ECA05AFB1C 0\n"
      "[GNUPG:] BADSIG 10D29F256758F9AF old <o@invalid>\n",
      1);
  EXPECT_EQ(other.key, "10D29F256758F9AF");  // another key: not taken for this one
}

TEST(GpgvStatus, MissingKeyNamesItsFingerprint) {
  GpgvVerdict v = gpgv_verdict(
      "[GNUPG:] NEWSIG\n"
      "[GNUPG:] ERRSIG EC47D1ECA05AFB1C 22 8 00 1796476602 9 1C3439F91780E32151BC1916EC47D1ECA05AFB1C\n"
      "[GNUPG:] NO_PUBKEY EC47D1ECA05AFB1C\n",
      2);
  EXPECT_EQ(v.kind, GpgvKind::no_public_key);
  EXPECT_EQ(v.key, "1C3439F91780E32151BC1916EC47D1ECA05AFB1C");
  EXPECT_THAT(v.detail, HasSubstr("not in the keyring"));
}

TEST(GpgvStatus, OtherErrsigIsAFailureWithItsCode) {
  GpgvVerdict v = gpgv_verdict("[GNUPG:] NEWSIG\n[GNUPG:] ERRSIG EC47D1ECA05AFB1C 99 8 00 1796476602 4 -\n", 2);
  EXPECT_EQ(v.kind, GpgvKind::failed);
  EXPECT_EQ(v.key, "EC47D1ECA05AFB1C");
  EXPECT_THAT(v.detail, HasSubstr("error code 4"));
}

// Signed in 2020 (1590969600) by a key that expired at the end of 2020 (1609372800).
const std::string kExpiredKeyStatus =
    "[GNUPG:] NEWSIG\n[GNUPG:] KEYEXPIRED 1609372800\n[GNUPG:] SIG_ID x 2020-06-01 1590969600\n"
    "[GNUPG:] EXPKEYSIG 10D29F256758F9AF old <o@invalid>\n"
    "[GNUPG:] VALIDSIG 0A96FB92C38D0A604F65D45510D29F256758F9AF 2020-06-01 SIGNED 0 4 0 22 8 00 "
    "0A96FB92C38D0A604F65D45510D29F256758F9AF\n";

std::string expired_key_status(const std::string& signed_at) {
  std::string s = kExpiredKeyStatus;
  return s.replace(s.find("SIGNED"), 6, signed_at);
}

TEST(GpgvStatus, ExpiredKeyCountsForSignaturesMadeBeforeItExpired) {
  EXPECT_EQ(gpgv_verdict(expired_key_status("1590969600"), 0).kind, GpgvKind::good);
  GpgvVerdict after = gpgv_verdict(expired_key_status("1609372800"), 0);
  EXPECT_EQ(after.kind, GpgvKind::expired_key);
  EXPECT_THAT(after.detail, HasSubstr("after that key expired"));
  EXPECT_EQ(gpgv_verdict(expired_key_status("20200601T000000"), 0).kind, GpgvKind::expired_key);  // not provable
  std::string no_expiry = expired_key_status("1590969600");
  no_expiry.erase(no_expiry.find("[GNUPG:] KEYEXPIRED"), 30);
  EXPECT_EQ(gpgv_verdict(no_expiry, 0).kind, GpgvKind::expired_key);
}

TEST(GpgvStatus, RevokedKeyAndExpiredSignatureFail) {
  EXPECT_EQ(gpgv_verdict("[GNUPG:] NEWSIG\n[GNUPG:] REVKEYSIG 10D29F256758F9AF x\n", 0).kind, GpgvKind::revoked_key);
  EXPECT_EQ(gpgv_verdict("[GNUPG:] NEWSIG\n[GNUPG:] EXPSIG 10D29F256758F9AF x\n", 0).kind, GpgvKind::expired_signature);
}

TEST(GpgvStatus, NoSignatureAtAll) {
  EXPECT_EQ(gpgv_verdict("[GNUPG:] NODATA 1\n[GNUPG:] NODATA 2\n", 2).kind, GpgvKind::not_a_signature);
  EXPECT_EQ(gpgv_verdict("", 0).kind, GpgvKind::not_a_signature);
  EXPECT_EQ(gpgv_verdict("gpgv: whatever\n", 0).kind, GpgvKind::not_a_signature);
}

TEST(GpgvStatus, AnUnreadableKeyringIsReportedAsSuch) {
  GpgvVerdict v = gpgv_verdict(
      "[GNUPG:] ERROR add_keyblock_resource 33587281\n[GNUPG:] NEWSIG\n"
      "[GNUPG:] ERRSIG EC47D1ECA05AFB1C 22 8 00 1796476602 9 -\n[GNUPG:] NO_PUBKEY EC47D1ECA05AFB1C\n",
      2);
  EXPECT_EQ(v.kind, GpgvKind::keyring_error);
}

TEST(GpgvStatus, EverySignatureMustCount) {
  std::string two = kGoodStatus + "[GNUPG:] NEWSIG\n[GNUPG:] BADSIG AAAABBBBCCCCDDDD evil\n";
  EXPECT_EQ(gpgv_verdict(two, 0).kind, GpgvKind::bad_signature);
  std::string silent = kGoodStatus + "[GNUPG:] NEWSIG\n";  // a second signature gpgv said nothing about
  EXPECT_EQ(gpgv_verdict(silent, 0).kind, GpgvKind::failed);
  std::string worse = kGoodStatus + "[GNUPG:] BADSIG EC47D1ECA05AFB1C other\n";  // one group, then bad
  EXPECT_EQ(gpgv_verdict(worse, 0).kind, GpgvKind::bad_signature);
  // Found by fuzzing: an expired key's good signature, then a BADSIG in the same group.
  std::string expired_then_bad = expired_key_status("1590969600") + "[GNUPG:] BADSIG 10D29F256758F9AF old\n";
  EXPECT_EQ(gpgv_verdict(expired_then_bad, 0).kind, GpgvKind::bad_signature);
}

TEST(GpgvStatus, StatusWordsOnlyCountAtTheStartOfALine) {
  EXPECT_EQ(gpgv_verdict("gpgv: [GNUPG:] NEWSIG\ngpgv: [GNUPG:] GOODSIG 1 x\n", 0).kind, GpgvKind::not_a_signature);
  EXPECT_EQ(gpgv_verdict("[GNUPG:]  GOODSIG 1 x\n", 0).kind, GpgvKind::not_a_signature);  // not as gpgv writes it
  EXPECT_EQ(gpgv_verdict("[GNUPG:] GOODSIG 1 x\r\n", 0).kind, GpgvKind::good);  // CRLF, and no NEWSIG (older GnuPG)
}

TEST(GpgvStatus, ControlCharactersInAUserIdAreNotPassedOn) {
  GpgvVerdict v = gpgv_verdict("[GNUPG:] NEWSIG\n[GNUPG:] BADSIG 10D29F256758F9AF a\x1b[31mred\n", 1);
  EXPECT_EQ(v.user.find('\x1b'), std::string::npos);
}

}  // namespace
}  // namespace rtx::verify
