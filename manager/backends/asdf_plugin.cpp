#include "manager/backends/asdf_plugin.hpp"

#include <unistd.h>

#include <algorithm>
#include <cstdlib>
#include <map>

#include "manager/backends/remote_versions_cache.hpp"
#include "manager/net/offline.hpp"
#include "manager/util/log.hpp"
#include "manager/util/modes.hpp"
#include "manager/util/process_runner.hpp"
#include "resolver/file_io.hpp"
#include "resolver/legacy_files.hpp"
#include "resolver/printable.hpp"

namespace rtx::backends {
namespace {

using util::RunSpec;

std::vector<std::string> split_words(std::string_view text) {
  std::vector<std::string> out;
  std::size_t i = 0;
  while (i < text.size()) {
    while (i < text.size() && std::isspace(static_cast<unsigned char>(text[i]))) ++i;
    std::size_t start = i;
    while (i < text.size() && !std::isspace(static_cast<unsigned char>(text[i]))) ++i;
    if (i > start) out.emplace_back(text.substr(start, i - start));
  }
  return out;
}

std::chrono::milliseconds seconds_from_env(const char* var, std::chrono::milliseconds fallback) {
  const char* v = std::getenv(var);
  if (!v || !*v) return fallback;
  double s = std::atof(v);
  return s > 0 ? std::chrono::milliseconds(long(s * 1000)) : fallback;
}

std::map<std::string, std::string> parse_env0(std::string_view block) {
  std::map<std::string, std::string> out;
  while (!block.empty()) {
    std::size_t nul = block.find('\0');
    std::string_view kv = block.substr(0, nul);
    block = nul == std::string_view::npos ? std::string_view{} : block.substr(nul + 1);
    std::size_t eq = kv.find('=');
    if (eq != std::string_view::npos && eq > 0) out[std::string(kv.substr(0, eq))] = std::string(kv.substr(eq + 1));
  }
  return out;
}

// The effect of sourcing exec-env: variables it set, and what it put before PATH.
void record_env_change(const std::map<std::string, std::string>& before,
                       const std::map<std::string, std::string>& after, resolver::BuildMeta& meta) {
  static const char* kIgnored[] = {"_", "SHLVL", "PWD", "OLDPWD"};
  for (const auto& [key, value] : after) {
    bool ignored = false;
    for (const char* k : kIgnored) ignored = ignored || key == k;
    if (ignored || key.rfind("ASDF_", 0) == 0) continue;
    auto it = before.find(key);
    if (it != before.end() && it->second == value) continue;
    if (key == "PATH") {
      std::string old = it == before.end() ? "" : it->second;
      if (value.size() > old.size() && value.compare(value.size() - old.size(), old.size(), old) == 0) {
        std::string added = value.substr(0, value.size() - old.size());
        std::size_t pos = 0;
        while (pos < added.size()) {
          std::size_t colon = added.find(':', pos);
          std::string dir = added.substr(pos, colon - pos);
          if (!dir.empty()) meta.path_prepend.push_back(dir);
          if (colon == std::string::npos) break;
          pos = colon + 1;
        }
      }
      continue;
    }
    meta.env.emplace_back(key, value);
  }
}

}  // namespace

PluginTimeouts timeouts_from_env() {
  PluginTimeouts t;
  t.list = seconds_from_env("RTX_PLUGIN_TIMEOUT", t.list);
  t.install = seconds_from_env("RTX_INSTALL_TIMEOUT", t.install);
  t.smoke = seconds_from_env("RTX_PLUGIN_TIMEOUT", t.smoke);
  return t;
}

bool AsdfPlugin::has_script(const char* name) const { return resolver::is_executable_file(script(name)); }

Expected<std::vector<std::string>> AsdfPlugin::list_remote() {
  if (!has_script("list-all"))
    return make_error("plugin " + name_ + " has no executable bin/list-all (" + dir_ + "): fix the plugin");
  auto offline = net::offline_mode();
  if (!offline) return Error{offline.error()};
  if (*offline) {
    CachedVersions kept = load_remote_versions(cache_dir_, name_, std::chrono::seconds(0));
    if (!kept.present)
      return make_error(net::offline_reason() + ": plugin " + name_ +
                        " lists its versions with its own bin/list-all, which may use the network, and rtx kept no "
                        "list of them: run 'rtx ls-remote " +
                        name_ + "' once with the network, then retry");
    util::log_info("using the versions of " + name_ + " from the cache (listed " + net::format_age(kept.age) +
                   " ago): " + net::offline_reason());
    return kept.versions;
  }
  RunSpec spec{{script("list-all")}, {{"ASDF_PLUGIN_PATH", dir_}}, {}, timeouts_.list, true, false};
  auto r = util::run_process(spec);
  if (!r.ok())
    return make_error("plugin " + name_ + ": bin/list-all " + r.describe(timeouts_.list) + " (" + dir_ +
                      "): check the plugin and your network");
  return split_words(r.out);
}

Expected<std::string> AsdfPlugin::latest_stable(const std::string& prefix) {
  if (!has_script("latest-stable")) return std::string();
  auto offline = net::offline_mode();
  if (!offline) return Error{offline.error()};
  if (*offline) return std::string();  // no opinion: the caller picks from list_remote()'s cached list
  RunSpec spec{{script("latest-stable"), prefix}, {{"ASDF_PLUGIN_PATH", dir_}}, {}, timeouts_.list, true, false};
  auto r = util::run_process(spec);
  if (!r.ok())
    return make_error("plugin " + name_ + ": bin/latest-stable " + r.describe(timeouts_.list) + " (" + dir_ + ")");
  auto words = split_words(r.out);
  return words.empty() ? std::string() : words.back();
}

static std::vector<std::pair<std::string, std::string>> asdf_env(const std::string& dir, const InstallRequest& req) {
  return {{"ASDF_INSTALL_TYPE", "version"},
          {"ASDF_INSTALL_VERSION", req.version},
          {"ASDF_INSTALL_PATH", req.install_path},
          {"ASDF_DOWNLOAD_PATH", req.download_path},
          {"ASDF_CONCURRENCY", std::to_string(req.concurrency)},
          {"ASDF_PLUGIN_PATH", dir}};
}

Status AsdfPlugin::install(const InstallRequest& req) {
  if (!has_script("install"))
    return make_error("plugin " + name_ + " has no executable bin/install (" + dir_ + "): fix the plugin");
  auto offline = net::offline_mode();
  if (!offline) return Error{offline.error()};
  if (*offline)
    return make_error(net::offline_reason() + ": plugin " + name_ + " installs " + req.version +
                      " with its own bin/download and bin/install, which fetch by themselves: run 'rtx install " +
                      name_ + "@" + req.version + "' once with the network, then retry");
  for (const char* step : {"download", "install"}) {
    if (!has_script(step)) continue;
    RunSpec spec{{script(step)}, asdf_env(dir_, req), {}, timeouts_.install, false, true};
    auto r = util::run_process(spec);
    if (!r.ok())
      return make_error("plugin " + name_ + ": bin/" + step + " for " + req.version + " " +
                        r.describe(timeouts_.install) + " (" + dir_ + "): see its output above");
  }
  // A plugin builds with the user's umask and its own chmods (DESIGN.md §2):
  // what it leaves group/world-writable or setuid is masked before the build
  // is verified, and so before anyone can resolve it.
  if (auto masked = util::mask_tree_modes(req.install_path); !masked)
    return make_error("plugin " + name_ + ": " + req.version + " installed, but " + masked.error());
  return ok_status();
}

Expected<resolver::BuildMeta> AsdfPlugin::describe_build(const InstallRequest& req) {
  resolver::BuildMeta meta;
  if (has_script("list-bin-paths")) {
    RunSpec spec{{script("list-bin-paths")}, asdf_env(dir_, req), {}, timeouts_.list, true, false};
    auto r = util::run_process(spec);
    if (!r.ok())
      return make_error("plugin " + name_ + ": bin/list-bin-paths " + r.describe(timeouts_.list) + " (" + dir_ + ")");
    for (auto& d : split_words(r.out)) {
      if (d.empty() || d[0] == '/' || d.find("..") != std::string::npos)
        return make_error("plugin " + name_ + ": bin/list-bin-paths printed '" + d +
                          "', which is not a folder inside the install: fix the plugin");
      meta.bin_dirs.push_back(d);
    }
  }
  if (meta.bin_dirs.empty()) meta.bin_dirs.emplace_back("bin");

  if (has_script("exec-env")) {
    // Sourced once, here; the shim applies the recorded effect without a shell.
    RunSpec spec{
        {"/bin/bash", "-c", "env -0; printf '\\0--rtx--\\0'; . \"$1\" >&2; env -0", "rtx-exec-env", script("exec-env")},
        asdf_env(dir_, req),
        {},
        timeouts_.list,
        true,
        false};
    auto r = util::run_process(spec);
    if (!r.ok())
      return make_error("plugin " + name_ + ": bin/exec-env " + r.describe(timeouts_.list) + " (" + dir_ + ")");
    std::string_view out = r.out;
    std::size_t split = out.find(std::string_view("\0--rtx--\0", 9));
    if (split == std::string_view::npos)
      return make_error("plugin " + name_ + ": bin/exec-env printed no environment (" + dir_ + "): fix the plugin");
    record_env_change(parse_env0(out.substr(0, split)), parse_env0(out.substr(split + 9)), meta);
  }
  return meta;
}

Expected<std::optional<std::vector<std::string>>> AsdfPlugin::legacy_filenames() {
  using Names = std::optional<std::vector<std::string>>;
  if (!has_script("list-legacy-filenames")) return Names();
  RunSpec spec{{script("list-legacy-filenames")}, {{"ASDF_PLUGIN_PATH", dir_}}, {}, timeouts_.list, true, false};
  auto r = util::run_process(spec);
  if (!r.ok())
    return make_error("plugin " + name_ + ": bin/list-legacy-filenames " + r.describe(timeouts_.list) + " (" + dir_ +
                      "): fix the plugin");
  std::vector<std::string> names;
  for (auto& name : split_words(r.out)) {
    if (std::string problem = resolver::legacy_name_problem(name); !problem.empty())
      return make_error("plugin " + name_ + ": bin/list-legacy-filenames printed '" + resolver::printable(name, 160) +
                        "', which " + problem + " (" + dir_ +
                        "): its legacy version files are not read; fix the plugin");
    if (std::find(names.begin(), names.end(), name) == names.end()) names.push_back(std::move(name));
  }
  return Names(std::move(names));
}

Expected<std::string> AsdfPlugin::parse_legacy_file(const std::string& path) {
  if (!has_script("parse-legacy-file"))
    return make_error("plugin " + name_ + " has no executable bin/parse-legacy-file (" + dir_ + ")");
  RunSpec spec{{script("parse-legacy-file"), path}, {{"ASDF_PLUGIN_PATH", dir_}}, {}, timeouts_.list, true, false};
  auto r = util::run_process(spec);
  if (!r.ok())
    return make_error(path + ": plugin " + name_ + ": bin/parse-legacy-file " + r.describe(timeouts_.list) + " (" +
                      dir_ + "): fix the file or the plugin");
  auto version = resolver::legacy_output_version(r.out);
  if (!version)
    return make_error(path + ": plugin " + name_ + ": bin/parse-legacy-file " + version.error() + " (" + dir_ +
                      "): fix the file or the plugin");
  return version;
}

Status AsdfPlugin::smoke_test(const InstallRequest& req, const resolver::BuildMeta& meta) {
  if (!has_script("smoke")) return ok_status();
  auto env = asdf_env(dir_, req);
  std::string path;
  for (const auto& d : meta.bin_dirs) path += req.install_path + "/" + d + ":";
  const char* old = std::getenv("PATH");
  env.emplace_back("PATH", path + (old ? old : ""));
  RunSpec spec{{script("smoke")}, env, {}, timeouts_.smoke, false, true};
  auto r = util::run_process(spec);
  if (!r.ok())
    return make_error("plugin " + name_ + ": the smoke test (" + dir_ + "/bin/smoke) of " + req.version + " " +
                      r.describe(timeouts_.smoke) + ": the build is broken, see the output above");
  return ok_status();
}

}  // namespace rtx::backends
