#include "harness.hpp"

#include <dirent.h>
#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <spawn.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include <algorithm>
#include <cstdlib>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <stdexcept>
#include <thread>

extern char** environ;

namespace rtx::e2e {
namespace {

int decode_status(int raw) {
  if (WIFEXITED(raw)) return WEXITSTATUS(raw);
  if (WIFSIGNALED(raw)) return 128 + WTERMSIG(raw);
  return -1;
}

struct Spawned {
  pid_t pid = -1;
  int out = -1;
  int err = -1;
};

Spawned spawn(const std::vector<std::string>& argv, const std::vector<std::string>& env, const std::string& cwd,
              bool capture) {
  int out[2] = {-1, -1}, err[2] = {-1, -1};
  if (capture && (::pipe2(out, O_CLOEXEC) != 0 || ::pipe2(err, O_CLOEXEC) != 0)) throw std::runtime_error("pipe");
  pid_t pid = ::fork();
  if (pid < 0) throw std::runtime_error("fork");
  if (pid == 0) {
    ::setpgid(0, 0);
    int devnull = ::open("/dev/null", O_RDONLY);
    ::dup2(devnull, 0);
    if (capture) {
      ::dup2(out[1], 1);
      ::dup2(err[1], 2);
    }
    if (!cwd.empty() && ::chdir(cwd.c_str()) != 0) ::_exit(125);
    std::vector<char*> a, e;
    for (const auto& s : argv) a.push_back(const_cast<char*>(s.c_str()));
    a.push_back(nullptr);
    for (const auto& s : env) e.push_back(const_cast<char*>(s.c_str()));
    e.push_back(nullptr);
    ::execve(a[0], a.data(), e.data());
    ::_exit(124);
  }
  if (capture) {
    ::close(out[1]);
    ::close(err[1]);
  }
  return Spawned{pid, out[0], err[0]};
}

Output collect(Spawned s) {
  Output o;
  pollfd fds[2] = {{s.out, POLLIN, 0}, {s.err, POLLIN, 0}};
  int open_fds = 2;
  char buf[8192];
  while (open_fds > 0) {
    if (::poll(fds, 2, -1) < 0) {
      if (errno == EINTR) continue;
      break;
    }
    for (int i = 0; i < 2; ++i) {
      if (fds[i].fd < 0 || !(fds[i].revents & (POLLIN | POLLHUP | POLLERR))) continue;
      ssize_t n = ::read(fds[i].fd, buf, sizeof buf);
      if (n <= 0) {
        ::close(fds[i].fd);
        fds[i].fd = -1;
        --open_fds;
      } else {
        (i == 0 ? o.out : o.err).append(buf, std::size_t(n));
      }
    }
  }
  int raw = 0;
  ::waitpid(s.pid, &raw, 0);
  o.status = decode_status(raw);
  return o;
}

}  // namespace

std::string rtx_binary() { return std::string(RTX_BIN_DIR) + "/rtx"; }
std::string shim_binary() { return std::string(RTX_BIN_DIR) + "/rtx-shim"; }
std::string source_dir() { return RTX_SOURCE_DIR; }

Background& Background::operator=(Background&& o) noexcept {
  if (this != &o) {
    kill_now();
    pid_ = o.pid_;
    o.pid_ = -1;
  }
  return *this;
}

Background::~Background() { kill_now(); }

int Background::wait() {
  if (pid_ < 0) return -1;
  int raw = 0;
  ::waitpid(pid_, &raw, 0);
  pid_ = -1;
  return decode_status(raw);
}

void Background::kill_now() {
  if (pid_ < 0) return;
  ::kill(-pid_, SIGKILL);
  ::kill(pid_, SIGKILL);
  int raw;
  ::waitpid(pid_, &raw, 0);
  pid_ = -1;
}

World::World() {
  char tmpl[] = "/tmp/rtx-e2e-XXXXXX";
  if (!::mkdtemp(tmpl)) throw std::runtime_error("mkdtemp");
  root_ = tmpl;
  for (const char* d : {"data", "config", "cache", "state", "home"})
    std::filesystem::create_directories(root_ + "/" + d);
}

World::~World() {
  // Let detached helpers of rtx finish with the tree before it goes.
  std::error_code ec;
  std::filesystem::remove_all(root_, ec);
}

void World::set_env(const std::string& key, const std::string& value) {
  unset_env(key);
  extra_env_.emplace_back(key, value);
}

void World::unset_env(const std::string& key) {
  extra_env_.erase(
      std::remove_if(extra_env_.begin(), extra_env_.end(), [&](const auto& kv) { return kv.first == key; }),
      extra_env_.end());
}

std::vector<std::string> World::environment() const {
  std::vector<std::string> env;
  for (char** e = environ; *e; ++e) {
    std::string kv(*e);
    std::string key = kv.substr(0, kv.find('='));
    // SHELL and ZDOTDIR too: `rtx doctor` reads the user's rc file through them;
    // and the colour variables, which would paint the stderr tests compare.
    if (key.rfind("RTX_", 0) == 0 || key == "HOME" || key == "PATH" || key.rfind("XDG_", 0) == 0 ||
        key.rfind("HELLO_", 0) == 0 || key == "SHELL" || key == "ZDOTDIR" || key == "NO_COLOR" ||
        key == "CLICOLOR_FORCE" || key == "CLICOLOR")
      continue;
    env.push_back(kv);
  }
  // The world's own roots and PATH, unless set_env replaced one: a variable
  // given twice is read as its first copy by getenv, its last by a shell.
  auto add = [&](const std::string& key, const std::string& value) {
    bool replaced = std::any_of(extra_env_.begin(), extra_env_.end(), [&](const auto& kv) { return kv.first == key; });
    if (!replaced) env.push_back(key + "=" + value);
  };
  add("HOME", home());
  add("RTX_DATA_DIR", data());
  add("RTX_CONFIG_DIR", config());
  add("RTX_CACHE_DIR", root_ + "/cache");
  add("RTX_STATE_DIR", root_ + "/state");
  add("PATH", shims() + ":" + std::string(RTX_BIN_DIR) + ":/usr/local/bin:/usr/bin:/bin");
  // Off unless a test turns it on (set_env("RTX_AUTO_INSTALL", "1")): most
  // tests assert what a missing version does without it.
  add("RTX_AUTO_INSTALL", "0");
  // Signatures are checked where a test asks for it (signatures_test.cpp):
  // the fixture mirrors publish none, and the default (prefer) would add a
  // notice to every stderr the other tests compare. "" means the default.
  add("RTX_NODE_SIGNATURES", "skip");
  add("RTX_NPM_SIGNATURES", "skip");
  for (const auto& [k, v] : extra_env_) env.push_back(k + "=" + v);
  return env;
}

Output World::rtx(const std::vector<std::string>& args, const std::string& cwd) const {
  std::vector<std::string> argv{rtx_binary()};
  argv.insert(argv.end(), args.begin(), args.end());
  return collect(spawn(argv, environment(), cwd.empty() ? root_ : cwd, true));
}

Output World::shim(const std::string& command, const std::vector<std::string>& args, const std::string& cwd) const {
  std::vector<std::string> argv{shims() + "/" + command};
  argv.insert(argv.end(), args.begin(), args.end());
  return collect(spawn(argv, environment(), cwd, true));
}

Output World::sh(const std::string& script, const std::string& cwd) const {
  return collect(spawn({"/bin/sh", "-c", script}, environment(), cwd.empty() ? root_ : cwd, true));
}

Background World::sh_background(const std::string& script, const std::string& cwd) const {
  return Background(spawn({"/bin/sh", "-c", script}, environment(), cwd.empty() ? root_ : cwd, false).pid);
}

void World::link_sample_plugin(const std::string& name) const {
  Output o = rtx({"plugins", "link", name, source_dir() + "/examples/asdf-hello"});
  if (o.status != 0) throw std::runtime_error("plugins link failed: " + o.err);
}

std::string World::make_project(const std::string& rel, const std::string& file, const std::string& content) const {
  std::string dir = root_ + "/" + rel;
  std::filesystem::create_directories(dir);
  std::ofstream(dir + "/" + file) << content;
  return dir;
}

std::string World::write_plugin(const std::string& name,
                                const std::vector<std::pair<std::string, std::string>>& scripts) const {
  std::string dir = root_ + "/plugin-src/" + name;
  std::filesystem::create_directories(dir + "/bin");
  for (const auto& [script, body] : scripts) {
    std::string path = dir + "/bin/" + script;
    std::ofstream(path) << "#!/usr/bin/env bash\nset -euo pipefail\n" << body << "\n";
    ::chmod(path.c_str(), 0755);
  }
  return dir;
}

std::vector<std::string> World::store_names(const std::string& tool) const {
  std::vector<std::string> names;
  std::error_code ec;
  for (const auto& e : std::filesystem::directory_iterator(data() + "/store/" + tool, ec))
    names.push_back(e.path().filename().string());
  std::sort(names.begin(), names.end());
  return names;
}

std::string World::read(const std::string& path) const {
  std::ifstream in(path);
  std::stringstream ss;
  ss << in.rdbuf();
  return ss.str();
}

bool wait_for_file(const std::string& path, std::chrono::milliseconds limit) {
  auto end = std::chrono::steady_clock::now() + limit;
  while (std::chrono::steady_clock::now() < end) {
    if (::access(path.c_str(), F_OK) == 0) return true;
    std::this_thread::sleep_for(std::chrono::milliseconds(10));
  }
  return false;
}

}  // namespace rtx::e2e
