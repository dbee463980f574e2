// Deterministic counts for the growth curves, beside the wall times (which a
// loaded 2-core machine makes noisy): the instructions a program executes
// before its execve (callgrind --dump-before=execve) and the syscalls it makes
// before it (strace). Bench-only code: it throws on failure.
#pragma once

#include <string>

#include "bench/shim_runner.hpp"

namespace rtx::bench {

// Absolute path of `name` on this process's PATH, or "" when missing.
std::string find_on_path(const std::string& name);

// Ir before the first execve of `prog` (of the whole run if it never execs),
// run from `cwd` with exactly `envp`; scratch files go under `scratch_dir`.
long instructions_before_exec(const std::string& valgrind, Argv& prog, char** envp, const std::string& cwd,
                              const std::string& scratch_dir);

// Syscalls `prog` makes before its execve of the next program (its own execve excluded).
long syscalls_before_exec(const std::string& strace, Argv& prog, char** envp, const std::string& cwd,
                          const std::string& scratch_dir);

}  // namespace rtx::bench
