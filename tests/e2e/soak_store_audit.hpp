// What the soak reads from the store: which versions a shim may resolve now
// (installs/ pointers naming READY builds, DESIGN.md §3), and, once everything
// has stopped, what a crash or a lost race left behind that recovery and
// `rtx gc --wait` should have removed.
#pragma once

#include <unistd.h>

#include <filesystem>
#include <string>
#include <vector>

#include "harness.hpp"
#include "soak_tools.hpp"
#include "store_probe.hpp"

namespace rtx::e2e::soak {

// Versions of `tool` whose pointer names a READY build.
inline std::vector<std::string> ready_versions(const World& w, const std::string& tool) {
  std::vector<std::string> out;
  std::error_code ec;
  for (const auto& e : std::filesystem::directory_iterator(w.data() + "/installs/" + tool, ec)) {
    std::string version = e.path().filename().string();
    std::string target = pointer(w, tool, version);
    if (target.find("/store/") == std::string::npos) continue;  // a fuzzy link (1 -> 1.2.0)
    std::string entry = store_dir(w, tool) + "/" + target.substr(target.rfind('/') + 1);
    if (trim_line(w.read(entry + ".state")) == "READY") out.push_back(version);
  }
  return out;
}

// Could a shim answer `specs` for `tool` right now?
inline bool satisfiable(const World& w, const std::string& tool, const std::vector<std::string>& specs) {
  for (const auto& v : ready_versions(w, tool))
    if (any_spec_matches(specs, v)) return true;
  return false;
}

// Everything under the world that no finished or recovered command may leave:
// builds neither READY nor RETIRED, RETIRED builds `gc --wait` with
// keep_previous = 0 did not take, pointers to anything but a READY build,
// fuzzy links to nothing, commit journals, download `.part` files, extraction
// staging folders, atomic-write temporaries, plugin download folders.
inline std::vector<std::string> orphans(const World& w) {
  namespace fs = std::filesystem;
  std::vector<std::string> out;
  for (const auto& tool : tool_names()) {
    for (const auto& b : builds(w, tool))  // dot names are temporaries: the scan below reports them
      if (b.name[0] != '.' && b.state != "READY")
        out.push_back("store/" + tool + "/" + b.name + " (" + (b.state.empty() ? "no state" : b.state) + ")");
    std::error_code ec;
    for (const auto& e : fs::directory_iterator(w.data() + "/installs/" + tool, ec)) {
      std::string name = e.path().filename().string();
      std::string target = pointer(w, tool, name);
      bool resolves = fs::exists(e.path(), ec);
      if (target.find("/store/") != std::string::npos) {
        std::string entry = store_dir(w, tool) + "/" + target.substr(target.rfind('/') + 1);
        if (trim_line(w.read(entry + ".state")) != "READY")
          out.push_back("installs/" + tool + "/" + name + " -> non-READY " + target);
      } else if (!resolves) {
        out.push_back("installs/" + tool + "/" + name + " -> nothing (" + target + ")");
      }
    }
  }
  for (const char* top : {"data", "cache", "state", "config"}) {
    std::error_code ec;
    for (auto it = fs::recursive_directory_iterator(w.root() + "/" + top, ec); it != fs::recursive_directory_iterator();
         it.increment(ec)) {
      std::string name = it->path().filename().string();
      std::string rel = it->path().string().substr(w.root().size() + 1);
      if (name == ".commit" || name.find(".extract-") != std::string::npos || name.rfind(".tmp", 0) == 0 ||
          (name.size() > 5 && name.compare(name.size() - 5, 5, ".part") == 0))
        out.push_back(rel);
      // plugin-downloads/<data dir key>/<entry>: an install's scratch folder left behind.
      if (it->path().parent_path().parent_path().filename() == "plugin-downloads") out.push_back(rel);
      if (it->is_directory(ec) && (name == "plugins" || name == "shims")) it.disable_recursion_pending();
    }
  }
  return out;
}

}  // namespace rtx::e2e::soak
