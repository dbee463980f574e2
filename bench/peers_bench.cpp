// rtx-bench-peers: whole-process time of a few commands that run the same
// tool, in one interleaved run (bench/compare_peers.sh sets up rtx's, mise's
// and rbenv's shims and calls this).
//
// Each round runs every variant once, in an order that rotates by one each
// round, so drift and the noise of the 2 shared cores hit all variants alike.
// Wall time per posix_spawn + wait4 (CLOCK_MONOTONIC); medians reported. The
// first variant is the baseline (the tool run directly): every other one gets
// its overhead over it, as the median of the same round's differences, and
// that overhead's ratio to the second variant's (rtx's shim).
//
//   rtx-bench-peers [--rounds N] [--warmup N] -- VARIANT -- VARIANT ...
//   VARIANT: NAME DIR [VAR=VALUE ...] /ABS/PATH [ARG ...]
// runs /ABS/PATH in DIR with exactly the VAR=VALUE environment (as `env -i`
// would), stdin /dev/null, stdout and stderr into a log that is printed when
// the command fails or writes anything (a peer printing a warning is doing
// work the others do not).
#include <fcntl.h>
#include <signal.h>
#include <spawn.h>
#include <sys/resource.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cerrno>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <stdexcept>
#include <string>
#include <vector>

#include "bench/whole_process.hpp"

namespace {

volatile sig_atomic_t g_peers_stop = 0;  // Ctrl-C ends the rounds early; the log is still removed
void peers_on_signal(int) { g_peers_stop = 1; }

struct PeerVariant {
  std::string name;
  std::string dir;
  std::vector<std::string> env;
  std::vector<std::string> argv;
  std::vector<char*> argv_ptrs, env_ptrs;  // over the strings above, made once
  std::vector<double> ms;
};

struct PeerOptions {
  int rounds = 30;
  int warmup = 3;
  std::vector<PeerVariant> variants;
};

// "NAME DIR [VAR=VALUE ...] /ABS/PATH [ARG ...]"
PeerVariant peers_parse_variant(const std::vector<std::string>& words) {
  if (words.size() < 3) throw std::runtime_error("a variant needs NAME DIR [VAR=VALUE ...] /ABS/PATH [ARG ...]");
  PeerVariant v;
  v.name = words[0];
  v.dir = words[1];
  std::size_t i = 2;
  for (; i < words.size() && words[i].find('=') != std::string::npos && words[i][0] != '/'; ++i)
    v.env.push_back(words[i]);
  if (i == words.size() || words[i][0] != '/')
    throw std::runtime_error("variant " + v.name + ": the command must be an absolute path");
  v.argv.assign(words.begin() + std::ptrdiff_t(i), words.end());
  if (::access(v.argv[0].c_str(), X_OK) != 0)
    throw std::runtime_error("variant " + v.name + ": " + v.argv[0] + " is not executable");
  if (!std::filesystem::is_directory(v.dir)) throw std::runtime_error("variant " + v.name + ": no directory " + v.dir);
  return v;
}

PeerOptions peers_parse(int argc, char** argv) {
  PeerOptions o;
  int i = 1;
  for (; i < argc && std::string(argv[i]) != "--"; i += 2) {
    std::string flag = argv[i];
    if (i + 1 >= argc) throw std::runtime_error(flag + " needs a value");
    int n = std::atoi(argv[i + 1]);
    if (flag == "--rounds" && n >= 1)
      o.rounds = n;
    else if (flag == "--warmup" && n >= 0)
      o.warmup = n;
    else
      throw std::runtime_error("bad argument " + flag + " " + argv[i + 1] + " (see the top of bench/peers_bench.cpp)");
  }
  std::vector<std::string> words;
  for (++i; i <= argc; ++i) {
    if (i == argc || std::string(argv[i]) == "--") {
      o.variants.push_back(peers_parse_variant(words));
      words.clear();
    } else {
      words.emplace_back(argv[i]);
    }
  }
  if (o.variants.size() < 2) throw std::runtime_error("give at least two variants: the baseline and one more");
  for (PeerVariant& v : o.variants) {
    for (std::string& s : v.argv) v.argv_ptrs.push_back(s.data());
    v.argv_ptrs.push_back(nullptr);
    for (std::string& s : v.env) v.env_ptrs.push_back(s.data());
    v.env_ptrs.push_back(nullptr);
  }
  return o;
}

std::string peers_read(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  std::ostringstream text;
  text << in.rdbuf();
  return text.str();
}

// One timed run; throws with the command's output when it fails.
double peers_run_once(PeerVariant& v, const std::string& log) {
  posix_spawn_file_actions_t fa;
  ::posix_spawn_file_actions_init(&fa);
  ::posix_spawn_file_actions_addchdir_np(&fa, v.dir.c_str());
  ::posix_spawn_file_actions_addopen(&fa, 0, "/dev/null", O_RDONLY, 0);
  ::posix_spawn_file_actions_addopen(&fa, 1, log.c_str(), O_WRONLY | O_CREAT | O_TRUNC, 0644);
  ::posix_spawn_file_actions_adddup2(&fa, 1, 2);
  pid_t pid;
  double t0 = rtx::bench::now_ms();
  int err = ::posix_spawn(&pid, v.argv_ptrs[0], &fa, nullptr, v.argv_ptrs.data(), v.env_ptrs.data());
  ::posix_spawn_file_actions_destroy(&fa);
  if (err != 0) throw std::runtime_error(v.name + ": cannot run " + v.argv[0] + ": " + std::strerror(err));
  int status = 0;
  rusage ru;
  while (::wait4(pid, &status, 0, &ru) < 0)
    if (errno != EINTR) throw std::runtime_error(std::string("wait4: ") + std::strerror(errno));
  double t1 = rtx::bench::now_ms();
  if (!WIFEXITED(status) || WEXITSTATUS(status) != 0)
    throw std::runtime_error(v.name + " failed (status " + std::to_string(status) + "): " + peers_read(log));
  return t1 - t0;
}

int peers_main(int argc, char** argv) {
  PeerOptions o = peers_parse(argc, argv);
  char tmpl[] = "/tmp/rtx-bench-peers-log-XXXXXX";
  int fd = ::mkstemp(tmpl);
  if (fd < 0) throw std::runtime_error("cannot make a log file in /tmp");
  ::close(fd);
  const std::string log = tmpl;
  struct Unlink {
    std::string path;
    ~Unlink() { std::filesystem::remove(path); }
  } unlink_log{log};

  // Once each, untimed: a peer that prints anything (a warning, a prompt)
  // would be measured doing more than running the tool.
  for (PeerVariant& v : o.variants) {
    peers_run_once(v, log);
    if (std::string out = peers_read(log); !out.empty())
      std::fprintf(stderr, "rtx-bench-peers: note: %s printed: %s\n", v.name.c_str(), out.c_str());
  }

  struct sigaction sa {};
  sa.sa_handler = peers_on_signal;
  ::sigaction(SIGINT, &sa, nullptr);
  ::sigaction(SIGTERM, &sa, nullptr);
  const std::size_t n = o.variants.size();
  for (int r = 0; r < o.warmup + o.rounds && !g_peers_stop; ++r) {
    std::vector<double> round(n);
    for (std::size_t k = 0; k < n; ++k) {
      std::size_t idx = (std::size_t(r) + k) % n;
      round[idx] = peers_run_once(o.variants[idx], log);
    }
    if (r >= o.warmup)
      for (std::size_t k = 0; k < n; ++k) o.variants[k].ms.push_back(round[k]);
  }
  if (o.variants[0].ms.empty()) throw std::runtime_error("interrupted before the first measured round");

  // Paired: each round's difference to the baseline, robust to drift.
  const PeerVariant& base = o.variants[0];
  std::vector<double> over(n, 0.0);
  for (std::size_t k = 1; k < n; ++k) {
    std::vector<double> d;
    for (std::size_t i = 0; i < base.ms.size(); ++i) d.push_back(o.variants[k].ms[i] - base.ms[i]);
    over[k] = rtx::bench::median(d);
  }
  std::printf("rtx-bench-peers: %zu rounds + %d warm-up, order rotating, medians\n\n", base.ms.size(), o.warmup);
  const std::string second = o.variants[1].name;
  std::printf("%-10s %10s %13s %14s %18s\n", "variant", "median ms", "overhead ms", ("time / " + second).c_str(),
              ("overhead / " + second).c_str());
  std::string result = "RESULT";
  auto add = [&result](const std::string& key, double value) {
    char buf[64];
    std::snprintf(buf, sizeof buf, "=%.3f", value);
    result += " " + key + buf;
  };
  for (std::size_t k = 0; k < n; ++k) {
    const PeerVariant& v = o.variants[k];
    double med = rtx::bench::median(v.ms);
    double time_ratio = med / rtx::bench::median(o.variants[1].ms);
    add(v.name + "_ms", med);
    if (k == 0) {
      std::printf("%-10s %10.3f %13s %14.2f %18s\n", v.name.c_str(), med, "(baseline)", time_ratio, "-");
      continue;
    }
    double over_ratio = over[1] > 0 ? over[k] / over[1] : 0;
    std::printf("%-10s %10.3f %13.3f %14.2f %18.1f\n", v.name.c_str(), med, over[k], time_ratio, over_ratio);
    add(v.name + "_overhead_ms", over[k]);
    if (k > 1) add(v.name + "_over_" + second, over_ratio);
  }
  std::printf("\n%s rounds=%zu\n", result.c_str(), base.ms.size());
  return 0;
}

}  // namespace

int main(int argc, char** argv) {
  try {
    return peers_main(argc, argv);
  } catch (const std::exception& e) {
    std::fprintf(stderr, "rtx-bench-peers: %s\n", e.what());
    return 1;
  }
}
