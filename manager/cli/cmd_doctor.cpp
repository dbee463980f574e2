// rtx doctor [--json]: repairs what a crash left, then says what is wrong with
// the setup and how to fix it (manager/doctor/). Exit 1 when a problem is found.
#include <fmt/core.h>

#include <chrono>

#include "manager/backends/asdf_plugin.hpp"
#include "manager/cli/commands.hpp"
#include "manager/doctor/doctor.hpp"
#include "manager/util/json.hpp"
#include "resolver/printable.hpp"

namespace rtx::cli {
namespace {

void print_json(const doctor::Report& report) {
  boost::json::array findings;
  for (const auto& f : report.findings)
    findings.push_back(boost::json::object{{"severity", util::json_text(doctor::severity_name(f.severity))},
                                           {"check", util::json_text(f.check)},
                                           {"what", util::json_text(f.what)},
                                           {"fix", util::json_text(f.fix)}});
  boost::json::array repaired;
  for (const auto& line : report.repaired) repaired.push_back(util::json_text(line));
  util::print_json(boost::json::object{{"ok", report.ok()}, {"findings", findings}, {"repaired", repaired}});
}

void print_text(const doctor::Report& report, const std::string& data_dir) {
  for (const auto& line : report.repaired) fmt::print("repaired: {}\n", resolver::printable(line));
  for (const auto& f : report.findings)
    fmt::print("{}: {} — fix: {}\n", doctor::severity_name(f.severity), resolver::printable(f.what),
               resolver::printable(f.fix));
  fmt::print("data dir {}: {}\n", resolver::printable(data_dir), report.ok() ? "ok" : "problems found");
}

}  // namespace

int cmd_doctor(Context& ctx, bool json) {
  doctor::Setup setup{ctx.roots,      ctx.layout,          ctx.shim_binary,
                      ctx.rtx_binary, ctx.download_root(), doctor::ShellEnv::from_environment()};
  // A build stuck in BUILDING for twice the install timeout is not an install that is just slow.
  setup.stale_after = 2 * std::chrono::duration_cast<std::chrono::seconds>(backends::timeouts_from_env().install);
  doctor::Report report = doctor::run(setup);
  if (json)
    print_json(report);
  else
    print_text(report, ctx.roots.data);
  return report.ok() ? kExitOk : kExitError;
}

}  // namespace rtx::cli
