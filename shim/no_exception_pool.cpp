// rtx-shim is built without exceptions, yet the libstdc++ string and vector
// code it links can still throw (length_error, bad_alloc). That alone links
// libsupc++'s eh_alloc.o, whose static constructor mallocs a ~73 KiB emergency
// pool at start-up: one more fresh heap page for every shim call, which on a
// VM costs more than the shim's own resolution work. Defining the allocation
// entry points here keeps eh_alloc.o out; a throw, which the shim never relies
// on (it only runs out of memory), ends it with one line and status 126, as a
// -fno-exceptions program would end (DESIGN.md §9: never a stack trace).
#include <unistd.h>

#include <cstddef>

namespace {

[[noreturn]] void shim_cannot_throw() {
  static const char line[] = "rtx-shim: out of memory (or an internal limit): run the command again\n";
  (void)!::write(STDERR_FILENO, line, sizeof line - 1);
  ::_exit(126);
}

}  // namespace

extern "C" {
void* __cxa_allocate_exception(std::size_t) noexcept { shim_cannot_throw(); }
void __cxa_free_exception(void*) noexcept { shim_cannot_throw(); }
void* __cxa_allocate_dependent_exception() noexcept { shim_cannot_throw(); }
void __cxa_free_dependent_exception(void*) noexcept { shim_cannot_throw(); }
}
