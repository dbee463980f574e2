// gpgv's --status-fd output (manager/verify/gpgv_status.cpp): any text gives a
// verdict, and "good" needs gpgv's exit 0 and a GOODSIG or EXPKEYSIG line.
#include <string>

#include "fuzz/fuzz_check.hpp"
#include "manager/verify/gpgv_status.hpp"

using rtx::verify::GpgvVerdict;

static bool has_status_line(std::string_view text, std::string_view keyword) {
  std::string line = "[GNUPG:] " + std::string(keyword);
  for (std::size_t at = text.find(line); at != std::string_view::npos; at = text.find(line, at + 1))
    if (at == 0 || text[at - 1] == '\n') return true;
  return false;
}

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  std::string_view text = rtx::fuzz::as_text(data, size);
  int exit_code = size > 0 ? data[0] % 3 : 0;  // 0 good, 1 bad, 2 error, as gpgv exits
  GpgvVerdict v = rtx::verify::gpgv_verdict(text, exit_code);
  if (v.kind == GpgvVerdict::Kind::good) {
    FUZZ_CHECK(exit_code == 0);
    FUZZ_CHECK(has_status_line(text, "GOODSIG") || has_status_line(text, "EXPKEYSIG"));
    FUZZ_CHECK(!has_status_line(text, "BADSIG ") && !has_status_line(text, "ERRSIG "));
  } else {
    FUZZ_CHECK(!v.detail.empty());
  }
  for (char c : v.user) FUZZ_CHECK(static_cast<unsigned char>(c) >= 0x20 && c != 0x7f);
  return 0;
}
