#include "manager/verify/signature_policy.hpp"

#include <cctype>
#include <cstdlib>

#include "manager/config/settings.hpp"

namespace rtx::verify {

std::optional<SignaturePolicy> parse_signature_policy(std::string_view text) {
  if (text == "require") return SignaturePolicy::require;
  if (text == "prefer") return SignaturePolicy::prefer;
  if (text == "skip") return SignaturePolicy::skip;
  return std::nullopt;
}

std::string_view policy_name(SignaturePolicy policy) {
  switch (policy) {
    case SignaturePolicy::require:
      return "require";
    case SignaturePolicy::skip:
      return "skip";
    case SignaturePolicy::prefer:
      break;
  }
  return "prefer";
}

std::string policy_variable(std::string_view backend) {
  std::string name = "RTX_";
  for (char c : backend) name += char(std::toupper(static_cast<unsigned char>(c)));
  return name + "_SIGNATURES";
}

Expected<SignaturePolicy> resolve_signature_policy(std::string_view backend, const char* env_value,
                                                   std::optional<SignaturePolicy> setting) {
  if (env_value && *env_value) {
    if (auto p = parse_signature_policy(env_value)) return *p;
    return make_error(policy_variable(backend) + "='" + env_value + "' is not a signature policy: use " +
                      kSignaturePolicyValues);
  }
  return setting.value_or(SignaturePolicy::prefer);
}

Expected<SignaturePolicy> signature_policy(std::string_view backend, const std::string& config_dir) {
  std::string variable = policy_variable(backend);
  const char* env_value = std::getenv(variable.c_str());
  if (env_value && *env_value) return resolve_signature_policy(backend, env_value, std::nullopt);
  auto settings = config::load_settings(config_dir);
  if (!settings) return Error{settings.error()};
  std::optional<SignaturePolicy> setting = backend == "node"  ? settings->node_signatures
                                           : backend == "npm" ? settings->npm_signatures
                                                              : std::nullopt;
  return resolve_signature_policy(backend, nullptr, setting);
}

}  // namespace rtx::verify
