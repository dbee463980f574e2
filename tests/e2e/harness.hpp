// The end-to-end helper layer: a throwaway rtx world (data, config, cache,
// state and HOME under one temp dir) and story-level helpers that drive the
// real built binaries as real processes.
#pragma once

#include <sys/types.h>

#include <chrono>
#include <string>
#include <vector>

namespace rtx::e2e {

struct Output {
  int status = -1;  // exit status, or 128 + signal
  std::string out;
  std::string err;
};

// A child running in the background (killed and reaped on destruction).
class Background {
 public:
  Background() = default;
  explicit Background(pid_t pid) : pid_(pid) {}
  Background(Background&& o) noexcept : pid_(o.pid_) { o.pid_ = -1; }
  Background& operator=(Background&& o) noexcept;
  ~Background();
  pid_t pid() const { return pid_; }
  int wait();  // exit status
  void kill_now();

 private:
  pid_t pid_ = -1;
};

class World {
 public:
  World();
  ~World();
  World(const World&) = delete;
  World& operator=(const World&) = delete;

  const std::string& root() const { return root_; }
  std::string data() const { return root_ + "/data"; }
  std::string shims() const { return root_ + "/data/shims"; }
  std::string home() const { return root_ + "/home"; }
  std::string config() const { return root_ + "/config"; }

  // Extra environment for every process this world starts ("K=V").
  void set_env(const std::string& key, const std::string& value);
  void unset_env(const std::string& key);

  Output rtx(const std::vector<std::string>& args, const std::string& cwd = {}) const;
  // Runs shims/<command> as a shell would find it on PATH.
  Output shim(const std::string& command, const std::vector<std::string>& args, const std::string& cwd) const;
  Output sh(const std::string& script, const std::string& cwd = {}) const;  // /bin/sh -c, PATH has shims first
  Background sh_background(const std::string& script, const std::string& cwd = {}) const;

  // Story helpers.
  void link_sample_plugin(const std::string& name = "hello") const;  // examples/asdf-hello
  std::string make_project(const std::string& rel, const std::string& file, const std::string& content) const;
  std::string write_plugin(const std::string& name,
                           const std::vector<std::pair<std::string, std::string>>& scripts) const;
  std::vector<std::string> store_names(const std::string& tool) const;  // ls store/<tool>
  std::string read(const std::string& path) const;

  std::vector<std::string> environment() const;

 private:
  std::string root_;
  std::vector<std::pair<std::string, std::string>> extra_env_;
};

std::string rtx_binary();
std::string shim_binary();
std::string source_dir();

// Waits until `path` exists (bounded).
bool wait_for_file(const std::string& path, std::chrono::milliseconds limit);

}  // namespace rtx::e2e
