// De-armoring OpenPGP public keys (manager/verify/armor.cpp): any text gives
// packets or one error line naming the file; packets always start a packet.
#include <string>

#include "fuzz/fuzz_check.hpp"
#include "manager/verify/armor.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const std::string where = "/keys/node/x.asc";
  auto packets = rtx::verify::dearmor_public_keys(rtx::fuzz::as_text(data, size), where);
  if (!packets) {
    FUZZ_CHECK(packets.error().rfind(where, 0) == 0);
    FUZZ_CHECK(packets.error().find('\n') == std::string::npos);
    return 0;
  }
  FUZZ_CHECK(!packets->empty() && (static_cast<unsigned char>((*packets)[0]) & 0x80));
  FUZZ_CHECK(packets->size() <= size);  // base64 only ever shrinks
  (void)rtx::verify::looks_armored(rtx::fuzz::as_text(data, size));
  return 0;
}
