// How hard rtx insists on a signature over a backend's checksums (issue 10
// item 2; docs/security.md "Signatures"). Per backend, first that applies:
//   RTX_NODE_SIGNATURES / RTX_NPM_SIGNATURES = require | prefer | skip
//   [settings] node_signatures / npm_signatures in $RTX_CONFIG_DIR/config.toml
//   prefer
// require: no signature (or no key to check it with) refuses the install.
// prefer:  a missing signature is one notice and the install goes on; a
//          signature that does not verify refuses the install.
// skip:    nothing is fetched or checked.
#pragma once

#include <optional>
#include <string>
#include <string_view>

#include "resolver/expected.hpp"

namespace rtx::verify {

enum class SignaturePolicy { require, prefer, skip };

inline constexpr const char* kSignaturePolicyValues = "require, prefer or skip";

// "require", "prefer", "skip" exactly (lower case, as mise's settings).
std::optional<SignaturePolicy> parse_signature_policy(std::string_view text);
std::string_view policy_name(SignaturePolicy policy);

// The environment variable of a backend ("node" -> "RTX_NODE_SIGNATURES").
std::string policy_variable(std::string_view backend);

// The policy of `backend` ("node", "npm"): `env_value` (the variable's value,
// null or empty when unset) wins over `setting` (from config.toml), else
// prefer. A bad variable is one line naming it and the three values.
Expected<SignaturePolicy> resolve_signature_policy(std::string_view backend, const char* env_value,
                                                   std::optional<SignaturePolicy> setting);

// The same, reading the environment and, only when the variable is unset,
// $RTX_CONFIG_DIR/config.toml (config_dir).
Expected<SignaturePolicy> signature_policy(std::string_view backend, const std::string& config_dir);

}  // namespace rtx::verify
