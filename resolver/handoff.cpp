#include "resolver/handoff.hpp"

#include <fcntl.h>
#include <stdlib.h>

#include "resolver/pin.hpp"

namespace rtx::resolver {

void hand_off_build(const Request& request, Acquired& build) {
  std::string pin = encode_pin(Pin{request.tool, request.joined(), build.entry_path});
  ::setenv(pin_env_var(request.tool).c_str(), pin.c_str(), 1);
  // F_DUPFD: the copy has no FD_CLOEXEC and shares the open file description,
  // so the lock stays held through it when the original closes.
  if (::fcntl(build.lease.get(), F_DUPFD, 900) >= 0) {
    build.lease.reset();
    return;
  }
  ::fcntl(build.lease.get(), F_SETFD, 0);
  (void)build.lease.release();
}

}  // namespace rtx::resolver
