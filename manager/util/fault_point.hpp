// Named crash points for the crash-recovery tests: with RTX_FAULT=<name> in the
// environment, the process kills itself with SIGKILL at that point, exactly as a
// kill -9 would. Compiled in only when RTX_FAULT_POINTS is on.
#pragma once

namespace rtx::util {

#ifdef RTX_FAULT_POINTS
void fault_point(const char* name);
#else
inline void fault_point(const char*) {}
#endif

}  // namespace rtx::util
