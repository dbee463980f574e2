#include "manager/backends/remote_versions_refresh.hpp"

#include <fcntl.h>
#include <signal.h>
#include <stdlib.h>
#include <sys/file.h>
#include <sys/wait.h>
#include <unistd.h>

#include <thread>

#include "manager/backends/plugins.hpp"
#include "manager/backends/remote_versions_cache.hpp"
#include "manager/net/offline.hpp"
#include "manager/util/fs.hpp"
#include "resolver/config_file.hpp"
#include "resolver/store_layout.hpp"
#include "resolver/unique_fd.hpp"

namespace rtx::backends {
namespace {

std::string remote_versions_refresh_lock_path(const std::string& cache_dir, const std::string& tool) {
  return cache_dir + "/remote-versions/." + resolver::tool_dir_name(tool) + ".lock";
}

// The child's whole life: detached from the terminal and from the shell's
// pipe (the shell reads until every writer is gone), bounded by SIGALRM, each
// network step bounded tighter than that, so it ends by itself. Its result is
// the cache file; its exit status is for nobody.
[[noreturn]] void run_remote_versions_refresher(const BackendEnv& env, const std::string& tool) {
  ::setsid();
  int devnull = ::open("/dev/null", O_RDWR);
  if (devnull < 0) ::_exit(1);
  for (int fd = 0; fd <= 2; ++fd) ::dup2(devnull, fd);
  if (devnull > 2) ::close(devnull);
  ::signal(SIGALRM, SIG_DFL);
  ::alarm(unsigned(kRemoteRefreshBudget.count()));
  // A stalled mirror ends an attempt after 10 s, a plugin's list-all after
  // 25 s, unless the user asked for less.
  ::setenv("RTX_HTTP_STALL_TIMEOUT", "10", 0);
  ::setenv("RTX_PLUGIN_TIMEOUT", "25", 0);
  auto backend = backend_for(env, tool);
  if (!backend) ::_exit(1);
  auto versions = (*backend)->list_remote();
  if (!versions) ::_exit(1);
  ::_exit(save_remote_versions(env.cache_dir, tool, *versions) ? 0 : 1);
}

}  // namespace

std::vector<std::string> remote_versions_for_tab(const BackendEnv& env, const std::string& tool,
                                                 std::chrono::milliseconds deadline) {
  auto until = std::chrono::steady_clock::now() + deadline;
  std::chrono::seconds ttl = remote_cache_ttl();
  CachedVersions cached = load_remote_versions(env.cache_dir, tool, ttl);
  if (cached.fresh || !resolver::validate_tool_name(tool)) return cached.versions;
  // Offline there is nothing newer to fetch, and a refresher would write the
  // old list back as if it were new (net/offline.hpp).
  if (auto offline = net::offline_mode(); !offline || *offline) return cached.versions;

  std::string lock_path = remote_versions_refresh_lock_path(env.cache_dir, tool);
  if (!util::make_dirs(util::parent_dir(lock_path))) return cached.versions;
  UniqueFd lock(::open(lock_path.c_str(), O_RDWR | O_CREAT | O_CLOEXEC | O_NOFOLLOW, 0644));
  if (!lock.valid()) return cached.versions;
  pid_t refresher = -1;
  if (::flock(lock.get(), LOCK_EX | LOCK_NB) == 0) {
    // Ours to refresh. The child shares this open file, and so the lock,
    // until it exits; this process lets go of its copy at once.
    refresher = ::fork();
    if (refresher == 0) run_remote_versions_refresher(env, tool);
    if (refresher < 0) return cached.versions;
  }
  lock.reset();

  // Wait for whoever refreshes (this TAB's child or an earlier one's): the
  // lock comes free when it ends.
  UniqueFd probe(::open(lock_path.c_str(), O_RDONLY | O_CLOEXEC | O_NOFOLLOW));
  if (!probe.valid()) return cached.versions;
  while (::flock(probe.get(), LOCK_SH | LOCK_NB) != 0) {
    if (std::chrono::steady_clock::now() >= until) return cached.versions;
    std::this_thread::sleep_for(std::chrono::milliseconds(20));
  }
  if (refresher > 0) ::waitpid(refresher, nullptr, WNOHANG);
  CachedVersions now = load_remote_versions(env.cache_dir, tool, ttl);
  return now.present ? now.versions : cached.versions;
}

}  // namespace rtx::backends
