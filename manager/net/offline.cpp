#include "manager/net/offline.hpp"

#include <algorithm>
#include <cctype>
#include <cstdlib>

namespace rtx::net {
namespace {

std::string offline_lower(std::string_view text) {
  std::string out(text);
  for (char& c : out) c = char(std::tolower(static_cast<unsigned char>(c)));
  return out;
}

}  // namespace

Expected<bool> offline_mode() {
  const char* v = std::getenv("RTX_OFFLINE");
  if (!v || !*v) return false;
  std::string value = offline_lower(v);
  if (value == "1" || value == "true" || value == "yes" || value == "on") return true;
  if (value == "0" || value == "false" || value == "no" || value == "off") return false;
  return make_error(std::string("RTX_OFFLINE='") + v +
                    "' is not a yes/no value: set it to 1 (no network at all) or 0, or unset it");
}

std::string offline_reason() {
  const char* v = std::getenv("RTX_OFFLINE");
  return std::string("offline (RTX_OFFLINE=") + (v ? v : "1") + ")";
}

bool needs_network(std::string_view url) {
  std::string head = offline_lower(url.substr(0, 8));
  return head.rfind("http://", 0) == 0 || head.rfind("https://", 0) == 0;
}

std::string format_age(std::chrono::seconds age) {
  long long s = std::max<long long>(0, age.count());
  if (s < 60) return std::to_string(s) + " s";
  if (s < 90 * 60) return std::to_string(s / 60) + " min";
  if (s < 48 * 3600) return std::to_string(s / 3600) + " h";
  return std::to_string(s / 86400) + " d";
}

}  // namespace rtx::net
