// The launcher run_process uses (util/process_runner.cpp): Boost.Process v2's
// default launcher without the work it does between fork and exec that is not
// async-signal-safe. rtx forks from several threads at once (`rtx install -j`),
// and POSIX allows only async-signal-safe calls in such a child; the default
// launcher calls the io_context's notify_fork(fork_child) there, which
// allocates, and rebuilds its descriptor whitelist. A child forked while
// another thread held an allocator lock hung in that allocation for good
// (seen under AddressSanitizer, whose allocator has no fork handlers). Here
// the child only runs the initialisers' exec setup (dup2, chdir, setpgid,
// prctl, signal: all async-signal-safe), marks every descriptor above stderr
// close-on-exec and execs; an exec failure comes back to the parent through a
// close-on-exec pipe, as with the default launcher.
#pragma once

#include <fcntl.h>
#include <sys/resource.h>
#include <unistd.h>

#include <boost/asio.hpp>
#include <boost/process/v2.hpp>
#include <cerrno>
#include <utility>

namespace rtx::util {

// Every descriptor above 2 close-on-exec: close_range(2), or one fcntl each
// up to the descriptor limit where the kernel lacks it. No allocation.
inline void mark_descriptors_cloexec() {
  if (::close_range(3, ~0U, CLOSE_RANGE_CLOEXEC) == 0) return;
  struct rlimit lim {};
  long last = ::getrlimit(RLIMIT_NOFILE, &lim) == 0 && lim.rlim_cur != RLIM_INFINITY ? long(lim.rlim_cur) : 4096;
  for (int fd = 3; fd < last && fd < 65536; ++fd) ::fcntl(fd, F_SETFD, FD_CLOEXEC);
}

struct ChildLauncher : boost::process::v2::posix::default_launcher {
  template <typename Executor, typename Args, typename... Inits>
  auto operator()(Executor exec, boost::process::v2::error_code& ec,
                  const boost::process::v2::filesystem::path& executable, Args&& args, Inits&&... inits)
      -> boost::process::v2::basic_process<Executor> {
    namespace bp = boost::process::v2;
    namespace pd = boost::process::v2::posix::detail;
    namespace asio = boost::asio;
    auto argv = this->build_argv_(executable, std::forward<Args>(args));
    int report[2];
    if (::pipe2(report, O_CLOEXEC) != 0) {
      ec.assign(errno, bp::system_category());
      return bp::basic_process<Executor>{exec};
    }
    struct Closer {
      int* fds;
      ~Closer() {
        for (int i = 0; i < 2; ++i)
          if (fds[i] >= 0) ::close(fds[i]);
      }
    } closer{report};
    ec = pd::on_setup(*this, executable, argv, inits...);
    if (ec) {
      pd::on_error(*this, executable, argv, ec, inits...);
      return bp::basic_process<Executor>{exec};
    }
    auto& ctx = asio::query(exec, asio::execution::context);
    ctx.notify_fork(asio::execution_context::fork_prepare);
    pid = ::fork();
    if (pid == -1) {
      ec.assign(errno, bp::system_category());
      ctx.notify_fork(asio::execution_context::fork_parent);
      pd::on_fork_error(*this, executable, argv, ec, inits...);
      pd::on_error(*this, executable, argv, ec, inits...);
      return bp::basic_process<Executor>{exec};
    }
    if (pid == 0) {  // the child: async-signal-safe calls only, then exec
      ::close(report[0]);
      bp::error_code setup = pd::on_exec_setup(*this, executable, argv, inits...);
      if (!setup) {
        mark_descriptors_cloexec();
        ::execve(executable.c_str(), const_cast<char* const*>(argv), const_cast<char* const*>(env));
      }
      int err = setup ? setup.value() : errno;
      (void)!::write(report[1], &err, sizeof err);
      ::_exit(127);
    }
    ctx.notify_fork(asio::execution_context::fork_parent);
    ::close(report[1]);
    report[1] = -1;
    int child_error = 0;
    ssize_t count;
    while ((count = ::read(report[0], &child_error, sizeof child_error)) == -1 && (errno == EINTR || errno == EAGAIN)) {
    }
    if (count == -1)
      ec.assign(errno, bp::system_category());
    else if (count != 0)
      ec.assign(child_error, bp::system_category());
    if (ec) {
      int status = 0;
      while (::waitpid(pid, &status, 0) == -1 && errno == EINTR) {  // the child exits at once: no zombie
      }
      pd::on_error(*this, executable, argv, ec, inits...);
      return bp::basic_process<Executor>{exec};
    }
    bp::basic_process<Executor> proc(exec, pid);
    pd::on_success(*this, executable, argv, ec, inits...);
    return proc;
  }
};

}  // namespace rtx::util
