// Checks (4) and (7) of `rtx doctor`: roots another user can write, and the
// shim binary every shim links to.
#include "manager/doctor/checks.hpp"
#include "manager/util/fs.hpp"
#include "manager/util/root_safety.hpp"

namespace rtx::doctor {

Findings check_unsafe_roots(const resolver::Roots& roots) {
  Findings out;
  for (const auto& u : util::unsafe_roots(roots))
    out.push_back({Severity::Problem, "roots",
                   u.path + " " + u.problem + ": another user could choose what your tools run", u.fix});
  return out;
}

Findings check_shim_binary(const std::string& shim_binary) {
  if (util::exists(shim_binary)) return {};
  return {{Severity::Problem, "shim-binary", "the shim binary " + shim_binary + " is missing: every shim runs it",
           "reinstall rtx, or set RTX_SHIM_BINARY to where rtx-shim is, then run 'rtx reshim'"}};
}

}  // namespace rtx::doctor
