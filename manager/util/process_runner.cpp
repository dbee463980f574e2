#include "manager/util/process_runner.hpp"

#include <fmt/core.h>
#include <signal.h>
#include <sys/mman.h>
#include <sys/prctl.h>
#include <sys/wait.h>
#include <unistd.h>

#include <algorithm>
#include <array>
#include <atomic>

// Boost 1.81's header-only Process v2 leaves process_environment::on_setup
// undefined; separate compilation of src.hpp in this, the only unit using it, fixes it.
#define BOOST_PROCESS_V2_SEPARATE_COMPILATION 1
#include <boost/asio.hpp>
#include <boost/process/v2.hpp>
#include <boost/process/v2/src.hpp>
#include <cstring>
#include <functional>

#include "manager/util/child_launcher.hpp"
#include "manager/util/log.hpp"
#include "resolver/unique_fd.hpp"

extern char** environ;

namespace rtx::util {
namespace bp = boost::process::v2;
namespace asio = boost::asio;

namespace {

std::atomic<int> g_signal{0};

void on_signal(int sig) { g_signal.store(sig); }

// Launcher hook: the child leads a new process group, so killpg reaches its
// whole tree (a plugin's own children included).
struct NewProcessGroup {
  template <typename Launcher>
  bp::error_code on_exec_setup(Launcher&, const bp::filesystem::path&, const char* const*&) {
    ::setpgid(0, 0);
    // A plugin must not outlive a killed rtx and write into a removed prefix.
    ::prctl(PR_SET_PDEATHSIG, SIGKILL);
    // Default dispositions for the child, whatever rtx installed.
    ::signal(SIGINT, SIG_DFL);
    ::signal(SIGTERM, SIG_DFL);
    ::signal(SIGHUP, SIG_DFL);
    return {};
  }
};

std::vector<std::string> build_environment(const std::vector<std::pair<std::string, std::string>>& overrides) {
  std::vector<std::string> env;
  for (char** e = environ; *e; ++e) {
    std::string_view kv(*e);
    std::string_view key = kv.substr(0, kv.find('='));
    bool replaced = false;
    for (const auto& [k, v] : overrides) replaced = replaced || key == k;
    if (!replaced) env.emplace_back(kv);
  }
  for (const auto& [k, v] : overrides) env.push_back(k + "=" + v);
  return env;
}

// Launcher hook for detached helpers: a new session, so neither Ctrl-C nor a
// closing terminal (SIGHUP) reaches them.
struct NewSession {
  template <typename Launcher>
  bp::error_code on_exec_setup(Launcher&, const bp::filesystem::path&, const char* const*&) {
    ::setsid();
    ::signal(SIGINT, SIG_DFL);
    ::signal(SIGTERM, SIG_DFL);
    ::signal(SIGHUP, SIG_IGN);
    return {};
  }
};

}  // namespace

bool spawn_detached(const std::vector<std::string>& argv) {
  asio::io_context ctx;
  std::vector<std::string> args(argv.begin() + 1, argv.end());
  try {
    bp::process proc(ctx, argv[0], args, bp::process_stdio{nullptr, nullptr, nullptr}, NewSession{});
    proc.detach();
  } catch (const std::exception&) {
    return false;
  }
  return true;
}

void install_interrupt_handlers() {
  struct sigaction sa {};
  sa.sa_handler = on_signal;
  sigemptyset(&sa.sa_mask);
  ::sigaction(SIGINT, &sa, nullptr);
  ::sigaction(SIGTERM, &sa, nullptr);
  ::sigaction(SIGHUP, &sa, nullptr);
}

bool interrupted() { return g_signal.load() != 0; }

namespace {

// The last few KiB a quiet child wrote, on stderr as it wrote them.
void show_quiet_output(int fd) {
  constexpr off_t kTail = 4096;
  off_t size = ::lseek(fd, 0, SEEK_END);
  if (size <= 0) return;
  std::string text(std::size_t(std::min(size, kTail)), '\0');
  ssize_t n = ::pread(fd, text.data(), text.size(), size - off_t(text.size()));
  if (n <= 0) return;
  text.resize(std::size_t(n));
  if (text.back() != '\n') text += '\n';
  (void)!::write(STDERR_FILENO, text.data(), text.size());
}

}  // namespace

std::string RunResult::describe(std::chrono::milliseconds timeout) const {
  if (!spawn_error.empty()) return "could not start: " + spawn_error;
  if (interrupted) return "was interrupted";
  if (timed_out) return fmt::format("timed out after {:g}s", timeout.count() / 1000.0);
  if (exit_code > 128 && exit_code < 128 + 65) return "was killed by signal " + std::to_string(exit_code - 128);
  return "exited with status " + std::to_string(exit_code);
}

RunResult run_process(const RunSpec& spec) {
  RunResult result;
  if (interrupted()) {
    result.interrupted = true;
    return result;
  }
  if (log_enabled(LogLevel::debug)) {
    std::string line = "running";
    for (const auto& a : spec.argv) line += " " + a;
    if (!spec.cwd.empty()) line += " (in " + spec.cwd + ")";
    log_debug(line);
  }
  asio::io_context ctx;
  asio::readable_pipe out_pipe(ctx);
  std::vector<std::string> args(spec.argv.begin() + 1, spec.argv.end());
  std::vector<std::string> env = build_environment(spec.env);

  // -q (util/log.hpp): what the child would say to the user is kept aside, and
  // shown only if it fails, so the error line that follows has its reason.
  UniqueFd quiet_sink;
  if (!log_enabled(LogLevel::info)) quiet_sink = UniqueFd(::memfd_create("rtx-quiet-output", MFD_CLOEXEC));

  auto stdout_binding = [&]() -> bp::process_stdio {
    if (spec.capture_stdout && quiet_sink.valid()) return bp::process_stdio{nullptr, out_pipe, quiet_sink.get()};
    if (spec.capture_stdout) return bp::process_stdio{nullptr, out_pipe, {}};
    if (quiet_sink.valid()) return bp::process_stdio{nullptr, quiet_sink.get(), quiet_sink.get()};
    if (spec.stdout_to_stderr) return bp::process_stdio{nullptr, STDERR_FILENO, {}};
    return bp::process_stdio{nullptr, {}, {}};
  };
  std::unique_ptr<bp::process> proc;
  try {
    // ChildLauncher: nothing but async-signal-safe calls between fork and
    // exec (child_launcher.hpp), since rtx install -j forks from threads.
    bp::error_code spawn_ec;
    asio::any_io_executor exec = ctx.get_executor();
    if (spec.cwd.empty())
      proc = std::make_unique<bp::process>(ChildLauncher{}(exec, spawn_ec, spec.argv[0], args, stdout_binding(),
                                                           bp::process_environment(env), NewProcessGroup{}));
    else
      proc = std::make_unique<bp::process>(ChildLauncher{}(exec, spawn_ec, spec.argv[0], args, stdout_binding(),
                                                           bp::process_environment(env),
                                                           bp::process_start_dir(spec.cwd), NewProcessGroup{}));
    if (spawn_ec) {
      result.spawn_error = spawn_ec.message();
      return result;
    }
  } catch (const std::exception& e) {
    result.spawn_error = e.what();
    return result;
  }
  const pid_t pgid = proc->id();

  asio::steady_timer deadline(ctx);
  bool eof = false;
  std::array<char, 8192> buf;
  std::function<void(const bp::error_code&, std::size_t)> on_read = [&](const bp::error_code& rec, std::size_t n) {
    result.out.append(buf.data(), n);
    if (!rec) {
      out_pipe.async_read_some(asio::buffer(buf), on_read);
    } else {
      eof = true;
      deadline.cancel();
    }
  };
  if (spec.capture_stdout) out_pipe.async_read_some(asio::buffer(buf), on_read);

  bool exited = false;
  asio::steady_timer poll(ctx);
  auto start = std::chrono::steady_clock::now();
  std::function<void(const bp::error_code&)> on_poll = [&](const bp::error_code& pec) {
    if (pec || exited) return;
    if (interrupted() && !result.interrupted) {
      result.interrupted = true;
      ::killpg(pgid, SIGTERM);
    }
    if (spec.timeout.count() > 0 && !result.timed_out && std::chrono::steady_clock::now() - start >= spec.timeout) {
      result.timed_out = true;
      ::killpg(pgid, SIGKILL);
    }
    poll.expires_after(std::chrono::milliseconds(50));
    poll.async_wait(on_poll);
  };
  poll.expires_after(std::chrono::milliseconds(50));
  poll.async_wait(on_poll);

  proc->async_wait([&](const bp::error_code& wec, int) {
    exited = true;
    poll.cancel();
    // The raw wait status: a death by signal N becomes 128 + N, as in a shell.
    int raw = proc->native_exit_code();
    if (wec)
      result.exit_code = -1;
    else if (WIFSIGNALED(raw))
      result.exit_code = 128 + WTERMSIG(raw);
    else
      result.exit_code = WEXITSTATUS(raw);
    // Whatever the script left behind in its group goes with it; then the
    // pipe reaches EOF even if a straggler held it.
    ::killpg(pgid, SIGKILL);
    if (spec.capture_stdout && !eof) {
      deadline.expires_after(std::chrono::milliseconds(500));
      deadline.async_wait([&](const bp::error_code& dec) {
        if (!dec) out_pipe.close();
      });
    }
  });
  ctx.run();
  if (result.exit_code < 0 && !result.timed_out && !result.interrupted && result.spawn_error.empty())
    result.spawn_error = "lost track of the child";
  if (quiet_sink.valid() && !result.ok() && !result.interrupted) show_quiet_output(quiet_sink.get());
  return result;
}

}  // namespace rtx::util
