#include "manager/store/upgrade_policy.hpp"

#include <algorithm>
#include <cerrno>
#include <cstring>

#include "manager/store/entries.hpp"
#include "resolver/acquire.hpp"
#include "resolver/build_meta.hpp"
#include "resolver/config_file.hpp"
#include "resolver/file_io.hpp"
#include "resolver/idiomatic.hpp"
#include "resolver/version.hpp"

namespace rtx::store {
namespace {

// Does `spec` select `version`, by its number or by an alias its build carries
// ("lts" for node)?
bool selects(const resolver::VersionSpec& spec, const std::string& version, const std::vector<std::string>& aliases) {
  if (resolver::spec_matches(spec, version)) return true;
  return spec.kind == resolver::SpecKind::Version &&
         std::find(aliases.begin(), aliases.end(), spec.text) != aliases.end();
}

// Among `specs` (fallbacks, in order), does the new version take over from the
// old one? Only where a spec up to the one selecting `old` also selects it,
// and ranks higher: the version the spec names ranks first (ranked_matches),
// then the newer.
bool taken_over(const std::vector<resolver::VersionSpec>& specs, const std::string& old_version,
                const std::vector<std::string>& old_aliases, const std::string& new_version,
                const std::vector<std::string>& new_aliases) {
  for (const auto& spec : specs) {
    bool new_matches = selects(spec, new_version, new_aliases);
    if (selects(spec, old_version, old_aliases)) {
      if (!new_matches) return false;
      bool old_named = resolver::spec_names(spec, old_version);
      if (old_named != resolver::spec_names(spec, new_version)) return !old_named;
      return resolver::compare_versions(new_version, old_version) > 0;
    }
    if (new_matches) return true;
  }
  return false;
}

}  // namespace

std::string resolved_entry(const resolver::StoreLayout& layout, const resolver::Request& request) {
  for (const auto& c : resolver::list_candidates(layout, request)) {
    if (c.entry.empty()) return {};  // system
    if (resolver::read_state(layout.entry_path(request.tool, c.entry)) == EntryState::Ready) return c.entry;
  }
  return {};
}

StillNeeded still_needed(const resolver::StoreLayout& layout, const std::string& tool, const std::string& old,
                         const std::string& fresh, const std::vector<std::string>& configs) {
  StillNeeded out;
  const std::string old_version = version_of_entry(old);
  const std::string new_version = version_of_entry(fresh);
  const auto old_aliases = resolver::load_build_meta(layout.entry_path(tool, old)).aliases;
  const auto new_aliases = resolver::load_build_meta(layout.entry_path(tool, fresh)).aliases;
  for (const auto& path : configs) {
    std::string text;
    if (int err = resolver::read_file(path, text); err != 0) {
      if (err != ENOENT)  // a project that is gone needs nothing
        out.warnings.push_back("cannot read tracked config " + path + ": " + std::strerror(err) + "; it keeps no " +
                               tool + " build READY");
      continue;
    }
    auto file = resolver::parse_any_config(path, text);
    if (!file) {
      out.warnings.push_back(file.error() + "; until it is fixed it keeps no " + tool + " build READY");
      continue;
    }
    const resolver::ToolEntry* e = file->find(tool);
    if (!e) continue;
    resolver::Request req{tool, {}, path, e->line};
    for (const auto& s : e->specs) {
      auto spec = resolver::parse_spec(s);
      if (!spec) {
        out.warnings.push_back(path + ":" + std::to_string(e->line) + ": " + spec.error());
        continue;
      }
      req.specs.push_back(*spec);
    }
    // Resolves elsewhere today: a new version cannot make it `old`.
    if (req.specs.empty() || resolved_entry(layout, req) != old) continue;
    if (!taken_over(req.specs, old_version, old_aliases, new_version, new_aliases)) {
      out.config = path;
      return out;
    }
  }
  return out;
}

}  // namespace rtx::store
