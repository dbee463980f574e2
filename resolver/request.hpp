// Finding the request for a tool (DESIGN.md §4): environment, nearest config
// (then the enabled idiomatic files) from the working directory upward, then
// the global config.
#pragma once

#include <functional>
#include <memory>
#include <string>
#include <vector>

#include "resolver/config_file.hpp"
#include "resolver/expected.hpp"
#include "resolver/idiomatic.hpp"
#include "resolver/roots.hpp"
#include "resolver/version_spec.hpp"

namespace rtx::resolver {

struct Request {
  std::string tool;
  std::vector<VersionSpec> specs;  // fallbacks, in order
  std::string source;              // a config path, or the variable's name
  int line = 0;

  // "20" or "3.11 3.10": the request as one string (used in pins).
  std::string joined() const;
};

// "RTX_NODE_VERSION" for node; '-' and other non-alphanumerics become '_'.
std::string version_env_var(std::string_view tool);

// The config files of one directory, in precedence order.
inline constexpr const char* kConfigNames[] = {".rtx.toml", "rtx.toml", ".mise.toml", "mise.toml", ".tool-versions"};

class RequestFinder {
 public:
  RequestFinder(Roots roots, std::string cwd) : roots_(std::move(roots)), cwd_(std::move(cwd)) {}

  // Called with every config file read (the manager records them as tracked).
  void on_config_read(std::function<void(const std::string&)> cb) { on_read_ = std::move(cb); }
  // Called with each warning line (an ignored config file); default: stderr.
  void on_warning(std::function<void(const std::string&)> cb) { on_warning_ = std::move(cb); }

  // The request for `tool`, or an empty `tool` in the result when nothing asks
  // for it. Errors: a malformed config on the way (path:line: …).
  Expected<Request> find(std::string_view tool);

  // Every tool named by the configs in scope, each with the request that wins.
  Expected<std::vector<Request>> all();

  const std::string& cwd() const { return cwd_; }

 private:
  // Parsed files, cached by path within this process (absent ones are not
  // kept); an idiomatic file is parsed as `idiomatic` says.
  Expected<const ConfigFile*> load(const std::string& path, const IdiomaticFile* idiomatic = nullptr);
  // Calls visit(file) for each existing config in precedence order until it returns true.
  Status walk(const std::function<bool(const ConfigFile&)>& visit);
  // Directories whose files count whoever owns them, read once when needed.
  const std::vector<std::string>& trusted();
  // Whether `tool`'s idiomatic files count (the list is read once, when the
  // walk first meets such a file).
  bool idiomatic_enabled(std::string_view tool);
  // The global config's text when it can be read (empty otherwise), read once.
  const std::string& global_text();
  void warn(const std::string& line);

  Roots roots_;
  std::string cwd_;
  std::function<void(const std::string&)> on_read_;
  std::function<void(const std::string&)> on_warning_;
  std::vector<std::string> trusted_;
  bool trusted_loaded_ = false;
  std::vector<std::string> idiomatic_;
  bool idiomatic_loaded_ = false;
  std::string global_text_;
  bool global_loaded_ = false;
  std::vector<std::pair<std::string, std::unique_ptr<ConfigFile>>> cache_;
};

}  // namespace rtx::resolver
