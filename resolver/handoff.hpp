// DESIGN.md §5 step 5, for the shim and `rtx exec` alike: the build's lease
// stays open across exec (and so in every descendant) and the pin is exported,
// so a descendant resolving the same request gets the same build.
#pragma once

#include "resolver/acquire.hpp"
#include "resolver/request.hpp"

namespace rtx::resolver {

// Moves the lease to an fd ≥ 900 without FD_CLOEXEC and sets RTX_PIN_<TOOL>.
// `build` must hold a store build (not `system`); its lease is given up here.
void hand_off_build(const Request& request, Acquired& build);

}  // namespace rtx::resolver
