// What a command writes as a tool's version in a config (DESIGN.md §4 specs):
// `rtx use --pin/--fuzzy` and `rtx upgrade --bump`. Pure string functions; the
// edit itself is config_edit.hpp's.
//
//   spec_to_write("20", "20.11.1", SpecStyle::Pin)    -> "20.11.1"
//   spec_to_write("20.11", "20.11.1", SpecStyle::Fuzzy) -> "20"
//   bumped_spec("20.11", "22.3.0")                    -> "22.3"
//   bumped_spec("latest", "22.3.0")                   -> nullopt (stays "latest")
#pragma once

#include <optional>
#include <string>
#include <string_view>

namespace rtx::config {

// How `rtx use` writes the spec: as typed (the default, as mise), the exact
// version installed (--pin), or its major only (--fuzzy).
enum class SpecStyle { AsTyped, Pin, Fuzzy };

// The spec `rtx use` records after `typed` installed `installed`:
// - AsTyped: `typed`.
// - `system` is written as typed in every style: there is nothing to pin.
// - Pin: `installed`.
// - Fuzzy: the first dotted component of `installed` when it is all digits and
//   `installed` is no prerelease ("22.3.0" -> "22", also for typed `latest`);
//   a prerelease is written exactly, since a prefix never selects one (§4);
//   a version whose first component is not a number ("nightly-2024-05-01",
//   "temurin-21.0.2") is written as typed: `nightly` is as fuzzy as it gets.
std::string spec_to_write(std::string_view typed, std::string_view installed, SpecStyle style);

// `rtx upgrade --bump`: `old_spec` rewritten to `newest` at the same precision,
// counting dotted components ("20" -> "22", "20.11" -> "22.3", "20.11.1" ->
// "22.3.0"; `newest` written whole when it has fewer components). nullopt when
// the spec stays: `latest`, `system`, a name that is no version number (`lts`,
// `stable`), a `newest` that is none either, or a result that is not newer
// than `old_spec` ("2" with newest 2.1.0 stays "2").
std::optional<std::string> bumped_spec(std::string_view old_spec, std::string_view newest);

}  // namespace rtx::config
