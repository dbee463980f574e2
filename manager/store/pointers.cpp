#include "manager/store/pointers.hpp"

#include <unistd.h>

#include <cerrno>
#include <map>

#include "manager/store/atomic_file.hpp"
#include "manager/util/fs.hpp"
#include "resolver/build_meta.hpp"
#include "resolver/file_io.hpp"
#include "resolver/version.hpp"

namespace rtx::store {

std::vector<Pointer> list_pointers(const resolver::StoreLayout& layout, const std::string& tool) {
  std::vector<Pointer> out;
  for (const auto& name : resolver::list_install_names(layout, tool)) {
    std::string entry = resolver::pointer_entry(layout, tool, name);
    if (!entry.empty()) out.push_back(Pointer{name, entry});
  }
  return out;
}

Status set_pointer(const resolver::StoreLayout& layout, const std::string& tool, const std::string& version,
                   const std::string& entry) {
  if (auto st = util::make_dirs(layout.installs_dir(tool)); !st) return st;
  return replace_symlink(layout.pointer_path(tool, version), resolver::StoreLayout::pointer_target(tool, entry));
}

Status remove_pointer(const resolver::StoreLayout& layout, const std::string& tool, const std::string& version) {
  if (::unlink(layout.pointer_path(tool, version).c_str()) != 0 && errno != ENOENT)
    return make_error("cannot remove " + layout.pointer_path(tool, version) + ": " + util::errno_text());
  util::fsync_dir(layout.installs_dir(tool));
  return ok_status();
}

Status refresh_fuzzy_links(const resolver::StoreLayout& layout, const std::string& tool) {
  std::vector<Pointer> pointers = list_pointers(layout, tool);
  std::map<std::string, std::string> want;  // fuzzy name -> version
  auto offer = [&](const std::string& name, const std::string& version) {
    auto it = want.find(name);
    if (it == want.end() || resolver::compare_versions(version, it->second) > 0) want[name] = version;
  };
  for (const auto& p : pointers) {
    // The backend's aliases ("lts" -> the newest installed LTS), recorded in
    // the build's meta at install time.
    for (const auto& alias : resolver::load_build_meta(layout.entry_path(tool, p.entry)).aliases)
      if (!alias.empty() && (alias[0] < '0' || alias[0] > '9') && resolver::validate_version(alias))
        offer(alias, p.version);
    if (resolver::is_prerelease(p.version)) continue;
    offer("latest", p.version);
    // Every prefix a spec can be (resolver::spec_matches: whole components,
    // ended by . - + _), so that the link named like a prefix spec is its
    // best match and a shim reads that one link (resolver/acquire.cpp).
    for (std::size_t sep = p.version.find_first_of(".-+_"); sep != std::string::npos;
         sep = p.version.find_first_of(".-+_", sep + 1))
      if (sep > 0 && resolver::validate_version(p.version.substr(0, sep))) offer(p.version.substr(0, sep), p.version);
  }
  for (const auto& p : pointers) want.erase(p.version);  // an exact pointer keeps its name

  for (const auto& name : resolver::list_install_names(layout, tool)) {
    if (!resolver::pointer_entry(layout, tool, name).empty()) continue;
    auto it = want.find(name);
    std::string current = resolver::read_link(layout.pointer_path(tool, name));
    if (it == want.end()) {
      if (::unlink(layout.pointer_path(tool, name).c_str()) != 0 && errno != ENOENT)
        return make_error("cannot remove " + layout.pointer_path(tool, name) + ": " + util::errno_text());
    } else if (current == it->second) {
      want.erase(it);
    }
  }
  for (const auto& [name, version] : want)
    if (auto st = replace_symlink(layout.pointer_path(tool, name), version); !st) return st;
  util::fsync_dir(layout.installs_dir(tool));
  return ok_status();
}

}  // namespace rtx::store
