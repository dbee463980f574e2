// The soak's three tools and what a correct answer from one looks like.
//
// `hello` is the sample plugin (examples/asdf-hello) as is; `hola` and `salut`
// are copies whose executable, greeting and remote-version variable carry
// their own name, so each tool has its own shim, pin variable and version
// list. Every build prints "<tool> <version> from <prefix>": the prefix names
// the exact build that ran (DESIGN.md §2: store/<tool>/<version>-<build>).
#pragma once

#include <algorithm>
#include <cctype>
#include <filesystem>
#include <fstream>
#include <map>
#include <sstream>
#include <string>
#include <vector>

#include "harness.hpp"

namespace rtx::e2e::soak {

inline const std::vector<std::string>& tool_names() {
  static const std::vector<std::string> names{"hello", "hola", "salut"};
  return names;
}

// The variable the tool's bin/list-all reads: HELLO_VERSIONS, HOLA_VERSIONS, …
inline std::string versions_variable(const std::string& tool) {
  std::string up = tool;
  for (auto& c : up) c = char(std::toupper(static_cast<unsigned char>(c)));
  return up + "_VERSIONS";
}

inline void replace_all(std::string& text, const std::string& from, const std::string& to) {
  for (std::size_t at = text.find(from); at != std::string::npos; at = text.find(from, at + to.size()))
    text.replace(at, from.size(), to);
}

// Links the sample plugin as `tool`; for any name but hello, a renamed copy.
inline void link_tool(const World& world, const std::string& tool) {
  if (tool == "hello") return world.link_sample_plugin("hello");
  namespace fs = std::filesystem;
  std::string dir = world.root() + "/plugin-src/" + tool;
  fs::create_directories(world.root() + "/plugin-src");
  fs::copy(source_dir() + "/examples/asdf-hello", dir, fs::copy_options::recursive);
  for (const char* script : {"bin/install", "bin/list-all", "bin/smoke"}) {
    std::string path = dir + "/" + script;
    std::string text = world.read(path);
    replace_all(text, "HELLO_VERSIONS", versions_variable(tool));
    replace_all(text, "/bin/hello\"", "/bin/" + tool + "\"");
    replace_all(text, "echo \"hello $ASDF_INSTALL_VERSION", "echo \"" + tool + " $ASDF_INSTALL_VERSION");
    replace_all(text, "\nhello >/dev/null", "\n" + tool + " >/dev/null");
    replace_all(text, "echo \"installed hello", "echo \"installed " + tool);
    std::ofstream(path, std::ios::trunc) << text;
  }
  Output o = world.rtx({"plugins", "link", tool, dir});
  if (o.status != 0) throw std::runtime_error("plugins link " + tool + " failed: " + o.err);
}

// --- versions and specs (DESIGN.md §4, for the shapes the soak uses) ----------

inline bool is_prerelease(const std::string& v) { return v.find('-') != std::string::npos; }

inline std::vector<long> numbers_of(const std::string& v) {
  std::vector<long> out;
  std::istringstream in(v.substr(0, v.find('-')));
  for (std::string part; std::getline(in, part, '.');) out.push_back(std::atol(part.c_str()));
  return out;
}

// Numeric per component; a prerelease sorts below its release.
inline bool version_less(const std::string& a, const std::string& b) {
  auto na = numbers_of(a), nb = numbers_of(b);
  if (na != nb) return na < nb;
  return is_prerelease(a) && !is_prerelease(b);
}

inline int major_of(const std::string& v) { return int(numbers_of(v).at(0)); }

// "latest", an exact "1.0.0", or a whole-component prefix "1".
inline bool spec_matches(const std::string& spec, const std::string& version) {
  if (spec == "latest") return !is_prerelease(version);
  if (spec == version) return true;
  return !is_prerelease(version) && version.rfind(spec + ".", 0) == 0;
}

inline bool any_spec_matches(const std::vector<std::string>& specs, const std::string& version) {
  return std::any_of(specs.begin(), specs.end(), [&](const auto& s) { return spec_matches(s, version); });
}

// What one tool's plugin offers; grows during the soak so upgrades find work.
class RemoteVersions {
 public:
  RemoteVersions() : list_{"1.0.0", "1.1.0", "2.0.0", "2.1.0-rc1"} {}

  const std::vector<std::string>& all() const { return list_; }
  std::string text() const {
    std::string out;
    for (const auto& v : list_) out += (out.empty() ? "" : " ") + v;
    return out;
  }
  // Publishes the next minor of `major` ("1.2.0"), or its release candidate.
  std::string publish_next(int major, bool release_candidate) {
    int minor = 0;
    for (const auto& v : list_)
      if (major_of(v) == major) minor = std::max(minor, int(numbers_of(v).at(1)) + (is_prerelease(v) ? 0 : 1));
    std::string v = std::to_string(major) + "." + std::to_string(minor) + ".0" + (release_candidate ? "-rc1" : "");
    if (std::find(list_.begin(), list_.end(), v) == list_.end()) list_.push_back(v);
    std::sort(list_.begin(), list_.end(), version_less);
    return v;
  }

 private:
  std::vector<std::string> list_;
};

// One line a build prints: "<tool> <version> from <prefix>".
struct Greeting {
  std::string tool, version, prefix;
};

inline bool parse_greeting(const std::string& line, Greeting& g) {
  std::istringstream in(line);
  std::string from, rest;
  if (!(in >> g.tool >> g.version >> from >> g.prefix) || from != "from" || (in >> rest)) return false;
  return true;
}

}  // namespace rtx::e2e::soak
