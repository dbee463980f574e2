// Check (5) of `rtx doctor`: every asdf plugin under plugins/ can list and
// install versions (DESIGN.md §8): its link leads somewhere, and it has an
// executable bin/list-all and bin/install.
#include <dirent.h>
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>

#include "manager/doctor/checks.hpp"
#include "resolver/file_io.hpp"

namespace rtx::doctor {
namespace {

void check_one(const std::string& plugins_dir, const std::string& name, Findings& out) {
  const std::string path = plugins_dir + "/" + name;
  const std::string target = resolver::read_link(path);  // empty: a clone (rtx plugins add)
  const std::string dir = target.empty() ? path : (target[0] == '/' ? target : plugins_dir + "/" + target);
  const std::string remove = "'rtx plugins remove " + name + "'";
  struct stat st {};
  if (::stat(path.c_str(), &st) != 0) {
    out.push_back({Severity::Problem, "plugins", "plugin " + name + " links to " + target + ", which does not exist",
                   "'rtx plugins link " + name + " DIR' to the folder that holds it now, or " + remove});
    return;
  }
  if (!S_ISDIR(st.st_mode)) {
    out.push_back({Severity::Problem, "plugins", "plugin " + name + " (" + dir + ") is not a folder",
                   remove + ", then add or link it again"});
    return;
  }
  for (const char* script : {"list-all", "install"}) {
    const std::string file = dir + "/bin/" + script;
    if (resolver::is_executable_file(file)) continue;
    struct stat fs {};
    bool there = ::stat(file.c_str(), &fs) == 0 && S_ISREG(fs.st_mode);
    std::string fix =
        there ? "chmod +x " + file
        : target.empty()
            ? "'rtx plugins update " + name + "', or " + remove + " and add it again from its repository"
            : "give " + dir + " a bin/" + script + ", or 'rtx plugins link " + name + " DIR' to a whole plugin";
    out.push_back(
        {Severity::Problem, "plugins",
         "plugin " + name + " has " +
             (there ? "a bin/" + std::string(script) + " that is not executable" : "no bin/" + std::string(script)) +
             " (" + file + "): it cannot " + (std::string(script) == "install" ? "install" : "list") + " versions",
         fix});
  }
}

}  // namespace

Findings check_plugins(const resolver::StoreLayout& layout) {
  std::vector<std::string> names;
  if (DIR* d = ::opendir(layout.plugins_dir().c_str())) {
    while (dirent* e = ::readdir(d))
      if (e->d_name[0] != '.') names.emplace_back(e->d_name);  // dot names: rtx's own scratch entries
    ::closedir(d);
  }
  std::sort(names.begin(), names.end());
  Findings out;
  for (const auto& name : names) check_one(layout.plugins_dir(), name, out);
  return out;
}

}  // namespace rtx::doctor
