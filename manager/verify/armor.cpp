#include "manager/verify/armor.hpp"

#include <cstddef>

#include "manager/net/checksum.hpp"

namespace rtx::verify {
namespace {

constexpr std::string_view kBeginKeys = "-----BEGIN PGP PUBLIC KEY BLOCK-----";
constexpr std::string_view kEndKeys = "-----END PGP PUBLIC KEY BLOCK-----";
constexpr std::string_view kArmorDashes = "-----";

std::string_view armor_trim(std::string_view s) {
  while (!s.empty() && (s.back() == '\r' || s.back() == ' ' || s.back() == '\t')) s.remove_suffix(1);
  while (!s.empty() && (s.front() == ' ' || s.front() == '\t')) s.remove_prefix(1);
  return s;
}

// Splits `text` into lines without their "\n" / "\r\n", one at a time.
class ArmorLines {
 public:
  explicit ArmorLines(std::string_view text) : rest_(text) {}
  bool next(std::string_view& line) {
    if (done_) return false;
    std::size_t nl = rest_.find('\n');
    line = armor_trim(rest_.substr(0, nl));
    if (nl == std::string_view::npos) {
      done_ = true;
    } else {
      rest_.remove_prefix(nl + 1);
    }
    ++number_;
    return true;
  }
  int number() const { return number_; }

 private:
  std::string_view rest_;
  bool done_ = false;
  int number_ = 0;
};

}  // namespace

bool looks_armored(std::string_view text) {
  std::size_t start = text.find_first_not_of(" \t\r\n");
  return start != std::string_view::npos && text.substr(start, 15) == "-----BEGIN PGP ";
}

Expected<std::string> dearmor_public_keys(std::string_view text, const std::string& where) {
  ArmorLines lines(text);
  std::string packets;
  std::string_view line;
  int blocks = 0;
  while (lines.next(line)) {
    if (line.empty()) continue;
    if (line.substr(0, kArmorDashes.size()) != kArmorDashes) continue;  // text around the blocks, as gpg allows
    auto at = [&](const std::string& what) {
      return make_error(where + ":" + std::to_string(lines.number()) + ": " + what);
    };
    if (line != kBeginKeys)
      return at("'" + std::string(line.substr(0, 60)) +
                "' is not an OpenPGP public key block: give public keys (gpg --export --armor)");
    int begin_line = lines.number();
    // Armor headers ("Version: …", "Comment: …") up to the blank line; a base64
    // line never holds ':', so a block without headers is read as well.
    std::string base64;
    bool in_headers = true, ended = false, crc_seen = false;
    while (lines.next(line)) {
      if (line == kEndKeys) {
        ended = true;
        break;
      }
      if (in_headers) {
        if (line.empty()) {
          in_headers = false;
          continue;
        }
        if (line.find(':') != std::string_view::npos) continue;
        in_headers = false;
      }
      if (line.empty()) continue;
      if (line.substr(0, kArmorDashes.size()) == kArmorDashes)
        return at("a new armor line inside the block begun at line " + std::to_string(begin_line) +
                  ": the file is damaged");
      if (crc_seen) return at("text after the checksum line: the file is damaged");
      if (line.size() == 5 && line[0] == '=') {  // "=XXXX": CRC-24, skipped (see armor.hpp)
        crc_seen = true;
        continue;
      }
      base64.append(line);
      if (base64.size() > (std::size_t{16} << 20)) return at("an armored key block over 16 MiB: not a key file");
    }
    if (!ended)
      return make_error(where + ": the block begun at line " + std::to_string(begin_line) +
                        " has no END line: the file is cut short");
    auto bytes = base64.empty() ? Expected<std::string>(Error{""}) : net::from_base64(base64);
    // from_base64's message quotes the whole text: too long for one line here.
    if (!bytes)
      return make_error(where + ": the block begun at line " + std::to_string(begin_line) +
                        " is not valid base64: the file is damaged");
    // Every OpenPGP packet header has its top bit set (RFC 4880 §4.2).
    if (bytes->empty() || !(static_cast<unsigned char>((*bytes)[0]) & 0x80))
      return make_error(where + ": the block begun at line " + std::to_string(begin_line) +
                        " does not hold OpenPGP packets: the file is damaged");
    packets += *bytes;
    ++blocks;
  }
  if (blocks == 0) return make_error(where + ": no '" + std::string(kBeginKeys) + "' in it: not an armored public key");
  return packets;
}

}  // namespace rtx::verify
