// Offline mode (issue 10 item 3; docs/decisions.md "Offline and the metadata
// cache"): RTX_OFFLINE=1, or `rtx --offline` (which sets RTX_OFFLINE=1 for the
// command and every process it starts), means no network at all. What rtx
// already holds still works: the download cache (keyed by checksum), remote
// documents kept in $RTX_CACHE_DIR/metadata, file:// URLs. Anything that
// would need the network fails before connecting, with one line saying what
// was needed and how to get it.
//
//   auto off = net::offline_mode();          // RTX_OFFLINE, checked
//   if (!off) return Error{off.error()};     // a bad value: one line
//   if (*off && net::needs_network(url)) return make_error(net::offline_reason() + ": " + …);
#pragma once

#include <chrono>
#include <string>
#include <string_view>

#include "resolver/expected.hpp"

namespace rtx::net {

// RTX_OFFLINE: "1", "true", "yes", "on" (any case) → true; unset, empty, "0",
// "false", "no", "off" → false; anything else an error line naming the
// variable, its value and what it may be. Read each time (cheap), so a test
// or `--offline` changing the environment takes effect at once.
Expected<bool> offline_mode();

// "offline (RTX_OFFLINE=1)": how every refusal and notice names the setting,
// with the value as the user gave it.
std::string offline_reason();

// True for http:// and https:// URLs (scheme in any case): what offline mode
// refuses. file:// and paths never need the network.
bool needs_network(std::string_view url);

// An age for people: "12 s", "40 min", "3 h", "5 d" (rounded down; a negative
// age, from a clock set back, is "0 s").
std::string format_age(std::chrono::seconds age);

}  // namespace rtx::net
