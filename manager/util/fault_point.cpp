#include "manager/util/fault_point.hpp"

#ifdef RTX_FAULT_POINTS
#include <signal.h>
#include <unistd.h>

#include <cstdlib>
#include <cstring>

namespace rtx::util {

void fault_point(const char* name) {
  const char* want = std::getenv("RTX_FAULT");
  if (want && std::strcmp(want, name) == 0) ::kill(::getpid(), SIGKILL);
}

}  // namespace rtx::util
#endif
