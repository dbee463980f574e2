#include "manager/cli/context.hpp"

#include <unistd.h>

#include <algorithm>
#include <cstdlib>

#include "manager/backends/plugins.hpp"
#include "manager/store/install_transaction.hpp"
#include "manager/util/fs.hpp"
#include "manager/util/log.hpp"
#include "resolver/config_file.hpp"
#include "resolver/file_io.hpp"
#include "resolver/version.hpp"

namespace rtx::cli {

Expected<Context> make_context() {
  auto query = make_query_context();
  if (!query) return Error{query.error()};
  Context ctx;
  static_cast<QueryContext&>(ctx) = std::move(*query);
  // An asdf plugin's legacy file is parsed here, never in the shim (DESIGN.md §4).
  ctx.legacy_parser = backends::legacy_parser(ctx.layout, [](const std::string& line) { note(line); });
  const char* shim = std::getenv("RTX_SHIM_BINARY");
  ctx.shim_binary = shim && *shim ? shim : util::self_dir() + "/rtx-shim";
  ctx.rtx_binary = front_binary();
  return ctx;
}

Expected<ToolSpec> parse_tool_spec(const std::string& text) {
  ToolSpec out;
  std::size_t at = text.rfind('@');
  if (at == std::string::npos || at == 0 || text[at - 1] == ':') {
    out.tool = text;
  } else {
    out.tool = text.substr(0, at);
    out.spec = text.substr(at + 1);
    if (out.spec->empty())
      return make_error("'" + text + "' has an empty version after '@': write " + out.tool + "@1.2.3");
  }
  if (auto st = resolver::validate_tool_name(out.tool); !st) return Error{st.error()};
  if (out.spec)
    if (auto sp = resolver::parse_spec(*out.spec); !sp) return Error{"'" + text + "': " + sp.error()};
  return out;
}

Expected<resolver::Request> request_from_cli(const std::string& tool, const std::string& spec) {
  auto parsed = resolver::parse_spec(spec);
  if (!parsed) return Error{parsed.error()};
  return resolver::Request{tool, {*parsed}, "command line", 0};
}

Expected<std::string> pick_remote_version(backends::Backend& backend, const std::string& tool,
                                          const resolver::VersionSpec& spec) {
  if (spec.kind == resolver::SpecKind::System) return make_error(tool + "@system is not installed by rtx");
  if (spec.kind == resolver::SpecKind::Latest) {
    auto latest = backend.latest_stable("");
    if (!latest) return Error{latest.error()};
    if (!latest->empty()) return *latest;
  }
  auto versions = backend.list_remote();
  if (!versions) return Error{versions.error()};
  auto ranked = resolver::ranked_matches(spec, *versions);
  if (ranked.empty() && spec.kind == resolver::SpecKind::Version) {
    // A name the backend knows ("lts", "lts-iron" for node): its answer counts
    // only if it is a listed version.
    auto alias = backend.latest_stable(spec.text);
    if (!alias) return Error{alias.error()};
    if (!alias->empty() && std::find(versions->begin(), versions->end(), *alias) != versions->end()) return *alias;
    auto unlisted = backend.find_unlisted(spec.text);
    if (!unlisted) return Error{unlisted.error()};
    if (!unlisted->empty()) return *unlisted;
  }
  if (ranked.empty())
    return make_error("no version of " + tool + " matches '" + spec.text + "' among " +
                      std::to_string(versions->size()) + " remote versions: see 'rtx ls-remote " + tool + "'");
  return (*versions)[ranked.front()];
}

Expected<std::string> ensure_installed(const Context& ctx, const std::string& tool, const resolver::VersionSpec& spec,
                                       bool force, const LockedChoice* locked) {
  if (spec.kind == resolver::SpecKind::System) return std::string("system");
  if (!force) {
    // A locked spec is satisfied by its exact version only.
    resolver::VersionSpec wanted = locked ? resolver::VersionSpec{resolver::SpecKind::Version, locked->version} : spec;
    resolver::Request req{tool, {wanted}, "command line", 0};
    if (auto m = installed_match(ctx, req); m && (!locked || m->version == locked->version)) {
      note(tool + " " + m->version + " is already installed");
      return m->version;
    }
  }
  auto backend = backends::backend_for(ctx.backend_env(), tool);
  if (!backend) return Error{backend.error()};
  Expected<std::string> version =
      locked ? Expected<std::string>(locked->version) : pick_remote_version(**backend, tool, spec);
  if (!version) return Error{version.error()};
  note("installing " + tool + " " + *version + (locked ? " (locked in " + locked->lock_path + ")" : std::string()) +
       " with " + (*backend)->describe());
  store::InstallOptions opts;
  opts.force = force;
  opts.shim_binary = ctx.shim_binary;
  opts.download_root = ctx.download_root();
  opts.state_dir = ctx.roots.state;
  if (locked) {
    opts.locked_url = locked->url;
    opts.locked_checksum = locked->checksum;
  }
  auto outcome = store::install_version(ctx.layout, **backend, tool, *version, opts);
  if (!outcome) return Error{outcome.error()};
  if (outcome->already_installed)
    note(tool + " " + *version + " is already installed (" + outcome->entry_path + ")");
  else
    note("installed " + tool + " " + *version + " in " + outcome->entry_path);
  // The shim reads a plugin's legacy file names from a record (DESIGN.md §4).
  for (const auto& warning : backends::record_legacy_filenames(ctx.layout, {tool}, false)) note(warning);
  return *version;
}

}  // namespace rtx::cli
