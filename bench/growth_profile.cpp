#include "bench/growth_profile.hpp"

#include <fcntl.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cstdlib>
#include <cstring>
#include <fstream>
#include <sstream>
#include <stdexcept>
#include <vector>

namespace rtx::bench {
namespace {

// Runs tool_args + prog from `cwd` with `envp`, stdout and stderr to /dev/null.
void growth_run_under(std::vector<std::string> tool_args, Argv& prog, char** envp, const std::string& cwd) {
  for (char** a = prog.get(); *a; ++a) tool_args.emplace_back(*a);
  Argv argv(std::move(tool_args));
  char** args = argv.get();
  pid_t pid = ::fork();
  if (pid < 0) throw std::runtime_error("fork failed");
  if (pid == 0) {
    int null = ::open("/dev/null", O_WRONLY);
    ::dup2(null, 1);
    ::dup2(null, 2);
    if (::chdir(cwd.c_str()) != 0) ::_exit(126);
    ::execve(args[0], args, envp);
    ::_exit(127);
  }
  int status = 0;
  ::waitpid(pid, &status, 0);
  if (!WIFEXITED(status) || WEXITSTATUS(status) != 0)
    throw std::runtime_error(argv.strings[0] + " on " + prog.strings[0] + " failed");
}

std::string growth_slurp(const std::string& path) {
  std::ifstream in(path);
  std::stringstream ss;
  ss << in.rdbuf();
  return ss.str();
}

}  // namespace

std::string find_on_path(const std::string& name) {
  const char* path = std::getenv("PATH");
  std::stringstream dirs(path ? path : "/usr/bin:/bin");
  std::string dir;
  while (std::getline(dirs, dir, ':'))
    if (!dir.empty() && ::access((dir + "/" + name).c_str(), X_OK) == 0) return dir + "/" + name;
  return {};
}

long instructions_before_exec(const std::string& valgrind, Argv& prog, char** envp, const std::string& cwd,
                              const std::string& scratch_dir) {
  std::string out = scratch_dir + "/growth.callgrind";
  ::unlink(out.c_str());
  ::unlink((out + ".1").c_str());
  growth_run_under({valgrind, "--tool=callgrind", "--dump-before=execve", "--callgrind-out-file=" + out}, prog, envp,
                   cwd);
  std::string text = growth_slurp(out + ".1");
  if (text.empty()) text = growth_slurp(out);
  for (const char* key : {"\nsummary: ", "\ntotals: "})
    if (std::size_t at = text.find(key); at != std::string::npos)
      return std::atol(text.c_str() + at + std::strlen(key));
  throw std::runtime_error("no callgrind totals in " + out);
}

long syscalls_before_exec(const std::string& strace, Argv& prog, char** envp, const std::string& cwd,
                          const std::string& scratch_dir) {
  std::string out = scratch_dir + "/growth.strace";
  growth_run_under({strace, "-f", "-qq", "-o", out}, prog, envp, cwd);
  std::istringstream lines(growth_slurp(out));
  std::string line;
  long count = 0;
  int execs = 0;
  while (std::getline(lines, line)) {
    if (line.find("execve(") != std::string::npos && ++execs == 2) break;
    if (execs == 1 && line.find("execve(") == std::string::npos) ++count;
  }
  return count;
}

}  // namespace rtx::bench
