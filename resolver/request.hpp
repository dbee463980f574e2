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
#include "resolver/legacy_files.hpp"
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

  // asdf legacy files (resolver/legacy_files.hpp) of a plugin with
  // bin/parse-legacy-file: an answer is taken from `handed` lines (what
  // `rtx __parse-legacy-file` passes back to the shim), then from
  // plugins/.legacy-versions, then from this parser, which the manager sets
  // (it runs the script and fills the cache). The shim sets none: on a miss
  // the walk stops with an error and legacy_miss() names the file.
  using LegacyParser = std::function<Expected<std::string>(const LegacyAnswer& key)>;
  void on_legacy_parse(LegacyParser parser) { legacy_parser_ = std::move(parser); }
  void add_legacy_answers(std::string_view handed) {
    for (auto& a : parse_legacy_answers(handed)) legacy_handed_.push_back(std::move(a));
  }
  // After find() or all() failed: the legacy file whose answer was missing, or null.
  const LegacyAnswer* legacy_miss() const { return legacy_miss_.tool.empty() ? nullptr : &legacy_miss_; }

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
  // An asdf legacy file of `tool`'s plugin: its version from the file, or from
  // bin/parse-legacy-file's answer (handed, cached, or the parser's).
  Expected<const ConfigFile*> load_legacy(const std::string& path, const std::string& tool);
  // Reads `path` under config_read.hpp's rules: true with `file` filled when
  // it counts, false when it does not (absent, not regular, foreign: warned once
  // per `cache_key`), an error when it cannot be read or is too large.
  Expected<bool> read_counted(const std::string& path, const std::string& cache_key, ConfigRead& file);
  // plugins/.legacy-filenames, read once per finder when the walk starts.
  void load_legacy_names();
  // Whether `tool`'s plugin lists its own legacy files, which then replace
  // the built-in idiomatic files of that tool name (as in mise).
  bool legacy_replaces_builtin(std::string_view tool) const;
  // Calls visit(file) for each existing config in precedence order until it
  // returns true. A plugin's legacy files are read only for the tools
  // wants_legacy accepts: a file another tool's plugin must parse is not this
  // walk's business (the shim would stop at its missing answer).
  Status walk(const std::function<bool(const ConfigFile&)>& visit,
              const std::function<bool(std::string_view)>& wants_legacy);
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
  bool legacy_loaded_ = false;
  std::vector<LegacyPlugin> legacy_plugins_;
  std::vector<std::pair<std::string, std::string>> legacy_files_;  // (name, tool), in precedence order
  std::vector<unsigned char> legacy_present_;                      // per legacy_files_, in the current directory
  LegacyParser legacy_parser_;
  std::vector<LegacyAnswer> legacy_handed_;
  std::vector<LegacyAnswer> legacy_cached_;
  bool legacy_cache_loaded_ = false;
  LegacyAnswer legacy_miss_;
};

}  // namespace rtx::resolver
