#include "manager/backends/plugin_git.hpp"

#include <unistd.h>

#include "manager/backends/asdf_plugin.hpp"
#include "manager/backends/registry.hpp"
#include "manager/net/offline.hpp"
#include "manager/store/atomic_file.hpp"
#include "manager/util/fs.hpp"
#include "manager/util/process_runner.hpp"
#include "resolver/config_file.hpp"
#include "resolver/file_io.hpp"

namespace rtx::backends {
namespace {

Status git(const std::vector<std::string>& args, const std::string& what) {
  util::RunSpec spec;
  spec.argv = {"/usr/bin/git"};
  spec.argv.insert(spec.argv.end(), args.begin(), args.end());
  spec.env = {{"GIT_TERMINAL_PROMPT", "0"}};  // never wait for a password nobody types
  spec.timeout = timeouts_from_env().install;
  spec.stdout_to_stderr = true;
  auto r = util::run_process(spec);
  if (!r.ok()) return make_error(what + ": git " + r.describe(spec.timeout) + ": see git's output above");
  return ok_status();
}

Status valid_name(const std::string& name) {
  if (auto st = resolver::validate_tool_name(name); !st) return st;
  if (name.find_first_of("/:") != std::string::npos)
    return make_error("plugin name '" + name + "' may not contain '/' or ':': use a plain name like ruby");
  return ok_status();
}

// Offline (net/offline.hpp) git may read only this machine: a path or a
// file:// URL. Anything else would reach the network.
Status plugin_git_offline_check(const std::string& url, const std::string& what, const std::string& fix) {
  bool local = !url.empty() && (url[0] == '/' || url[0] == '.' || url.rfind("file://", 0) == 0);
  if (local) return ok_status();
  auto offline = net::offline_mode();
  if (!offline) return Error{offline.error()};
  if (*offline) return make_error(net::offline_reason() + ": " + what + " needs the network: " + fix);
  return ok_status();
}

std::string ref_file(const resolver::StoreLayout& layout, const std::string& name) {
  return layout.plugins_dir() + "/." + name + ".ref";
}

}  // namespace

Status add_plugin_from_git(const resolver::StoreLayout& layout, const std::string& name, const std::string& given_url,
                           const std::optional<std::string>& ref) {
  if (auto st = valid_name(name); !st) return st;
  std::string url = given_url;
  if (url.empty()) {
    auto entry = registry_lookup(name);
    if (!entry || entry->kind != RegistryEntry::Kind::Asdf)
      return make_error("no plugin URL known for '" + name + "': give one, rtx plugins add " + name + " GIT_URL");
    url = entry->target;
  }
  std::string offline_fix = "run it with the network, or 'rtx plugins link " + name + " DIR' for a local copy";
  if (auto st = plugin_git_offline_check(url, "adding plugin " + name + " from " + url, offline_fix); !st) return st;
  std::string dest = layout.plugins_dir() + "/" + name;
  if (util::exists(dest))
    return make_error("plugin " + name + " already exists (" + dest + "): 'rtx plugins update " + name +
                      "', or remove it first");
  if (auto st = util::make_dirs(layout.plugins_dir()); !st) return st;
  std::string tmp = layout.plugins_dir() + "/.tmp-" + name + "-" + std::to_string(::getpid());
  // A folder a killed `plugins add` left; if it cannot go, the clone below says why.
  (void)util::remove_tree(tmp);
  std::string what = "adding plugin " + name + " from " + url;
  Status st = git({"clone", "--quiet", url, tmp}, what);
  if (st && ref) st = git({"-C", tmp, "checkout", "--quiet", *ref}, what + " at " + *ref);
  if (st &&
      (!resolver::is_executable_file(tmp + "/bin/list-all") || !resolver::is_executable_file(tmp + "/bin/install")))
    st = make_error(url + " is not an asdf plugin: it has no executable bin/list-all and bin/install");
  if (st && ::rename(tmp.c_str(), dest.c_str()) != 0)
    st = make_error("cannot create " + dest + ": " + util::errno_text());
  if (!st) {
    (void)util::remove_tree(tmp);  // best effort: the clone's own error is the one to report
    return st;
  }
  if (ref)
    if (auto written = store::write_file_atomic(ref_file(layout, name), *ref + "\n"); !written)
      return make_error("added plugin " + name + " but could not record its ref " + *ref + ": " + written.error() +
                        ": run 'rtx plugins update " + name + "' after fixing it");
  return ok_status();
}

Status update_plugin(const resolver::StoreLayout& layout, const std::string& name) {
  if (auto st = valid_name(name); !st) return st;
  std::string dir = layout.plugins_dir() + "/" + name;
  if (!util::exists(dir)) return make_error("no plugin " + name + " (" + dir + "): see 'rtx plugins ls'");
  if (std::string target = resolver::read_link(dir); !target.empty())
    return make_error("plugin " + name + " is linked to " + target + ": update it there");
  std::string what = "updating plugin " + name;
  // The remote is not looked up: offline, no plugin is fetched.
  if (auto st = plugin_git_offline_check("origin", what + " (git fetch)", "run it with the network"); !st) return st;
  if (auto st = git({"-C", dir, "fetch", "--quiet", "--tags", "origin"}, what); !st) return st;
  auto ref = util::read_lines(ref_file(layout, name));
  if (!ref.empty()) return git({"-C", dir, "checkout", "--quiet", ref.front()}, what + " at " + ref.front());
  return git({"-C", dir, "merge", "--quiet", "--ff-only", "@{upstream}"}, what);
}

Status remove_plugin(const resolver::StoreLayout& layout, const std::string& name) {
  if (auto st = valid_name(name); !st) return st;
  std::string dir = layout.plugins_dir() + "/" + name;
  if (!util::exists(dir)) return make_error("no plugin " + name + " (" + dir + "): see 'rtx plugins ls'");
  if (!resolver::read_link(dir).empty()) {
    if (::unlink(dir.c_str()) != 0) return make_error("cannot remove " + dir + ": " + util::errno_text());
  } else if (auto st = util::remove_tree(dir); !st) {
    return st;
  }
  ::unlink(ref_file(layout, name).c_str());
  return ok_status();
}

}  // namespace rtx::backends
