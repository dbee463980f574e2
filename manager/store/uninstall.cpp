#include "manager/store/uninstall.hpp"

#include "manager/store/file_lock.hpp"
#include "manager/store/reshim.hpp"
#include "manager/store/retire.hpp"
#include "resolver/config_file.hpp"
#include "resolver/version.hpp"

namespace rtx::store {

Expected<UninstallOutcome> uninstall(const resolver::StoreLayout& layout, const std::string& shim_binary,
                                     const std::string& tool, const std::string& version) {
  if (auto st = resolver::validate_tool_name(tool); !st) return Error{st.error()};
  if (auto st = resolver::validate_version(version); !st) return Error{st.error()};
  UninstallOutcome out;
  {
    auto lock = FileLock::acquire(layout.tool_lock(tool), LockMode::Exclusive);
    if (!lock) return Error{lock.error()};
    out.entry = resolver::pointer_entry(layout, tool, version);
    if (out.entry.empty())
      return make_error(tool + " " + version + " is not installed (" + layout.pointer_path(tool, version) +
                        "): see 'rtx ls " + tool + "'");
    auto retired = retire_build(layout, tool, out.entry, "", "");
    if (!retired) return Error{retired.error()};
    if (!*retired)  // installs/ names READY builds only: this one is being repaired
      return make_error(tool + " " + version + " is not READY (" + layout.entry_path(tool, out.entry) +
                        "): run 'rtx doctor', then try again");
    if (auto st = reshim(layout, shim_binary); !st) out.warnings.push_back(st.error() + ": run 'rtx reshim'");
  }
  out.reap = reap_build(layout, tool, out.entry);
  return out;
}

}  // namespace rtx::store
