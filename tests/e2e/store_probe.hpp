// Read-only probes of a World's store for the upgrade, crash and concurrency
// stories: which builds exist, in which state (DESIGN.md §3), and what the
// version pointers in installs/ name. Plus the few writes a story needs by hand
// (settings, a forged state word).
#pragma once

#include <sys/file.h>
#include <sys/stat.h>
#include <unistd.h>

#include <fcntl.h>

#include <chrono>
#include <fstream>
#include <set>
#include <string>
#include <thread>
#include <vector>

#include "harness.hpp"

namespace rtx::e2e {

struct Build {
  std::string name;  // <version>-<build>
  std::string version;
  std::string state;  // BUILDING | READY | RETIRED | REAPING | FAILED, "" without a .state file
  bool tree = false;  // the prefix directory exists
};

inline std::string trim_line(const std::string& s) { return s.substr(0, s.find('\n')); }

inline std::string store_dir(const World& w, const std::string& tool) { return w.data() + "/store/" + tool; }

// Every build of `tool`, whichever of its files (prefix, .state, .lease, .meta) remain.
inline std::vector<Build> builds(const World& w, const std::string& tool) {
  std::set<std::string> names;
  for (std::string n : w.store_names(tool)) {
    for (const char* suffix : {".state", ".lease", ".meta"}) {
      std::string s(suffix);
      if (n.size() > s.size() && n.compare(n.size() - s.size(), s.size(), s) == 0) n.resize(n.size() - s.size());
    }
    names.insert(n);
  }
  std::vector<Build> out;
  for (const auto& n : names) {
    Build b{n, n.substr(0, n.rfind('-')), {}, false};
    std::string path = store_dir(w, tool) + "/" + n;
    if (::access((path + ".state").c_str(), F_OK) == 0) b.state = trim_line(w.read(path + ".state"));
    struct stat st {};
    b.tree = ::stat(path.c_str(), &st) == 0 && S_ISDIR(st.st_mode);
    out.push_back(b);
  }
  return out;
}

inline std::vector<Build> builds_of(const World& w, const std::string& tool, const std::string& version) {
  std::vector<Build> out;
  for (auto& b : builds(w, tool))
    if (b.version == version) out.push_back(b);
  return out;
}

// The state words of every build of tool@version, e.g. {"RETIRED"}; empty when none is left.
inline std::vector<std::string> states_of(const World& w, const std::string& tool, const std::string& version) {
  std::vector<std::string> out;
  for (const auto& b : builds_of(w, tool, version)) out.push_back(b.state);
  return out;
}

// What installs/<tool>/<name> links to ("" when there is no such link).
inline std::string pointer(const World& w, const std::string& tool, const std::string& name) {
  char buf[4096];
  ssize_t n = ::readlink((w.data() + "/installs/" + tool + "/" + name).c_str(), buf, sizeof buf);
  return n > 0 ? std::string(buf, std::size_t(n)) : std::string();
}

// The build name a version pointer names ("" when there is none).
inline std::string pointed_build(const World& w, const std::string& tool, const std::string& version) {
  std::string target = pointer(w, tool, version);
  return target.substr(target.rfind('/') + 1);
}

// Entries no finished transaction may leave behind.
inline std::vector<std::string> leftovers(const World& w, const std::string& tool) {
  std::vector<std::string> out;
  for (const auto& b : builds(w, tool))
    if (b.state != "READY" && b.state != "RETIRED")
      out.push_back(b.name + " (" + (b.state.empty() ? "no state" : b.state) + ")");
  return out;
}

inline void write_settings(const World& w, const std::string& body) {
  std::ofstream(w.config() + "/config.toml") << "[settings]\n" << body << "\n";
}

inline void force_state(const World& w, const std::string& tool, const std::string& build, const std::string& word) {
  std::ofstream(store_dir(w, tool) + "/" + build + ".state") << word << "\n";
}

// The first line a shim call prints, e.g. "hello 1.1.0 from …".
inline bool prints_version(const Output& o, const std::string& version) {
  return o.status == 0 && o.out.rfind("hello " + version + " ", 0) == 0;
}

// A shared flock on a build's lease, as a pinned process would hold it.
class LeaseHold {
 public:
  explicit LeaseHold(const std::string& entry_path)
      : fd_(::open((entry_path + ".lease").c_str(), O_RDONLY | O_CLOEXEC)) {
    if (fd_ >= 0 && ::flock(fd_, LOCK_SH | LOCK_NB) != 0) {
      ::close(fd_);
      fd_ = -1;
    }
  }
  ~LeaseHold() {
    if (fd_ >= 0) ::close(fd_);
  }
  LeaseHold(const LeaseHold&) = delete;
  LeaseHold& operator=(const LeaseHold&) = delete;
  bool held() const { return fd_ >= 0; }

 private:
  int fd_;
};

// Polls `done` every 10 ms for at most `limit`.
template <typename Pred>
bool eventually(Pred done, std::chrono::milliseconds limit) {
  auto end = std::chrono::steady_clock::now() + limit;
  for (;;) {
    if (done()) return true;
    if (std::chrono::steady_clock::now() >= end) return false;
    std::this_thread::sleep_for(std::chrono::milliseconds(10));
  }
}

}  // namespace rtx::e2e
