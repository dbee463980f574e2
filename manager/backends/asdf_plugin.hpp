// asdf plugins run unchanged (DESIGN.md §8): bin/list-all, bin/latest-stable,
// bin/download, bin/install, bin/list-bin-paths, bin/exec-env,
// bin/list-legacy-filenames, bin/parse-legacy-file, with the ASDF_* variables
// asdf and mise set. bin/smoke is an rtx extension: run after
// install, a failure fails the install.
//
// Offline (RTX_OFFLINE, net/offline.hpp): list-all, latest-stable, download
// and install may fetch by themselves, so rtx does not run them. list_remote()
// serves the list the last `rtx ls-remote` kept, with its age; install() is
// refused with one line (an installed version never gets that far).
#pragma once

#include <chrono>
#include <optional>
#include <string>
#include <vector>

#include "manager/backends/backend.hpp"

namespace rtx::backends {

struct PluginTimeouts {
  std::chrono::milliseconds list{60'000};
  std::chrono::milliseconds install{1'800'000};
  std::chrono::milliseconds smoke{60'000};
};

// RTX_PLUGIN_TIMEOUT / RTX_INSTALL_TIMEOUT (seconds) override the defaults.
PluginTimeouts timeouts_from_env();

class AsdfPlugin : public Backend {
 public:
  // `cache_dir` ($RTX_CACHE_DIR): where, offline, list_remote() finds the
  // versions the last `rtx ls-remote` kept (remote_versions_cache.hpp).
  AsdfPlugin(std::string name, std::string dir, PluginTimeouts timeouts, std::string cache_dir = {})
      : name_(std::move(name)), dir_(std::move(dir)), timeouts_(timeouts), cache_dir_(std::move(cache_dir)) {}

  std::string describe() const override { return "asdf plugin " + name_ + " (" + dir_ + ")"; }
  Expected<std::vector<std::string>> list_remote() override;
  Expected<std::string> latest_stable(const std::string& prefix) override;
  Status install(const InstallRequest& req) override;
  Expected<resolver::BuildMeta> describe_build(const InstallRequest& req) override;
  Status smoke_test(const InstallRequest& req, const resolver::BuildMeta& meta) override;

  // The names bin/list-legacy-filenames prints (whitespace-separated, as asdf
  // reads them), each checked by resolver::legacy_name_problem; nullopt when
  // the plugin has no such script. Errors: the script failed, or a name is
  // refused (the message names it).
  Expected<std::optional<std::vector<std::string>>> legacy_filenames();
  // The one version bin/parse-legacy-file PATH prints (legacy_output_version).
  Expected<std::string> parse_legacy_file(const std::string& path);

 private:
  bool has_script(const char* name) const;
  std::string script(const char* name) const { return dir_ + "/bin/" + name; }

  std::string name_;
  std::string dir_;
  PluginTimeouts timeouts_;
  std::string cache_dir_;
};

}  // namespace rtx::backends
