#include "manager/backends/legacy_record.hpp"

#include <algorithm>
#include <cerrno>
#include <cstring>

#include "manager/backends/asdf_plugin.hpp"
#include "manager/backends/plugins.hpp"
#include "manager/store/atomic_file.hpp"
#include "manager/store/file_lock.hpp"
#include "manager/util/fs.hpp"
#include "resolver/config_read.hpp"
#include "resolver/file_io.hpp"

namespace rtx::backends {
namespace {

std::string legacy_lock_path(const resolver::StoreLayout& layout) {
  // A dot name: no tool's lock (locks/<tool>.lock) can be called that.
  return layout.data + "/locks/.legacy-files.lock";
}

// Rewrites plugins/.legacy-versions without `tool`'s lines (all when empty
// `path`), or without the line for `tool` and `path`. Under the caller's lock.
Status legacy_cache_drop(const resolver::StoreLayout& layout, const std::string& tool, const std::string& path,
                         const resolver::LegacyAnswer* add) {
  std::string text;
  int err = resolver::read_file(resolver::legacy_versions_path(layout), text);
  if (err != 0 && err != ENOENT)
    return make_error("cannot read " + resolver::legacy_versions_path(layout) + ": " + std::strerror(err));
  std::vector<resolver::LegacyAnswer> answers = resolver::parse_legacy_answers(text);
  std::erase_if(answers,
                [&](const resolver::LegacyAnswer& a) { return a.tool == tool && (path.empty() || a.path == path); });
  if (add) answers.push_back(*add);
  if (answers.size() > kLegacyCacheLines)
    answers.erase(answers.begin(), answers.end() - std::ptrdiff_t(kLegacyCacheLines));
  std::string out = "# rtx: answers of asdf plugins' bin/parse-legacy-file, by file identity\n";
  for (const auto& a : answers) {
    std::string line = resolver::format_legacy_answer(a);
    if (!line.empty()) out += line + '\n';
  }
  if (out == text) return ok_status();
  if (auto st = util::make_dirs(layout.plugins_dir()); !st) return st;
  return store::write_file_atomic(resolver::legacy_versions_path(layout), out);
}

}  // namespace

std::vector<std::string> record_legacy_filenames(const resolver::StoreLayout& layout,
                                                 const std::vector<std::string>& tools, bool plugin_changed) {
  std::vector<std::string> warnings;
  // 1. The scripts run without the lock: a slow plugin must not hold up others.
  auto plugins = list_plugins(layout);
  std::vector<std::string> todo = tools;
  if (todo.empty())
    for (const auto& p : plugins) todo.push_back(p.name);
  std::vector<resolver::LegacyPlugin> fresh;
  for (const auto& tool : todo) {
    auto plugin = std::find_if(plugins.begin(), plugins.end(), [&](const PluginInfo& p) { return p.name == tool; });
    if (plugin == plugins.end()) continue;  // a core tool, or a plugin just removed: no line
    AsdfPlugin asdf(tool, layout.plugins_dir() + "/" + tool, timeouts_from_env());
    auto names = asdf.legacy_filenames();
    if (!names)
      warnings.push_back(names.error());
    else if (*names)
      fresh.push_back(resolver::LegacyPlugin{tool, std::move(**names)});
  }

  // 2. Merge into the record under the lock: lines of other plugins stay,
  // lines of plugins that are gone go.
  if (auto st = util::make_dirs(layout.plugins_dir()); !st) {
    warnings.push_back(st.error());
    return warnings;
  }
  auto lock = store::FileLock::acquire(legacy_lock_path(layout), store::LockMode::Exclusive);
  if (!lock) {
    warnings.push_back(lock.error());
    return warnings;
  }
  std::string path = resolver::legacy_filenames_path(layout);
  std::string text;
  (void)resolver::read_file(path, text);  // absent: no plugin recorded yet
  std::vector<resolver::LegacyPlugin> record;
  for (auto& old : resolver::parse_legacy_filenames(text)) {
    bool redone = std::find(todo.begin(), todo.end(), old.tool) != todo.end();
    bool present = std::any_of(plugins.begin(), plugins.end(), [&](const PluginInfo& p) { return p.name == old.tool; });
    if (!redone && present) record.push_back(std::move(old));
  }
  for (auto& p : fresh) record.push_back(std::move(p));
  std::sort(record.begin(), record.end(), [](const auto& a, const auto& b) { return a.tool < b.tool; });
  std::string out = resolver::format_legacy_filenames(record);
  if (out != text)
    if (auto st = store::write_file_atomic(path, out); !st) warnings.push_back(st.error());
  if (plugin_changed)
    for (const auto& tool : todo)
      if (auto st = legacy_cache_drop(layout, tool, {}, nullptr); !st) warnings.push_back(st.error());
  return warnings;
}

Status cache_legacy_answer(const resolver::StoreLayout& layout, const resolver::LegacyAnswer& answer) {
  if (resolver::format_legacy_answer(answer).empty())
    return make_error("cannot cache the answer for " + answer.path + ": its path holds a control character");
  if (auto st = util::make_dirs(layout.plugins_dir()); !st) return st;
  auto lock = store::FileLock::acquire(legacy_lock_path(layout), store::LockMode::Exclusive);
  if (!lock) return Error{lock.error()};
  return legacy_cache_drop(layout, answer.tool, answer.path, &answer);
}

resolver::RequestFinder::LegacyParser legacy_parser(const resolver::StoreLayout& layout,
                                                    std::function<void(const std::string&)> warn) {
  return [layout, warn = std::move(warn)](const resolver::LegacyAnswer& key) -> Expected<std::string> {
    AsdfPlugin plugin(key.tool, layout.plugins_dir() + "/" + key.tool, timeouts_from_env());
    auto version = plugin.parse_legacy_file(key.path);
    if (!version) return version;
    // Cached only if the file the script read is the one the walk checked
    // (trusted "/": ownership was checked by the walk).
    resolver::ConfigRead again = resolver::read_config(key.path, {"/"});
    if (again.access != resolver::ConfigAccess::Read || !(again.identity == key.identity)) return version;
    resolver::LegacyAnswer answer = key;
    answer.version = *version;
    if (auto st = cache_legacy_answer(layout, answer); !st && warn)
      warn("plugin " + key.tool + "'s answer for " + key.path + " is used but not cached: " + st.error());
    return version;
  };
}

}  // namespace rtx::backends
