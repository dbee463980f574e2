#include "manager/doctor/doctor.hpp"

#include <algorithm>

#include "manager/config/settings.hpp"
#include "manager/store/recovery.hpp"

namespace rtx::doctor {
namespace {

void append(Findings& to, Findings more) {
  to.insert(to.end(), std::make_move_iterator(more.begin()), std::make_move_iterator(more.end()));
}

}  // namespace

std::string_view severity_name(Severity s) {
  switch (s) {
    case Severity::Problem:
      return "problem";
    case Severity::Warning:
      return "warning";
    case Severity::Note:
      return "note";
  }
  return "note";
}

bool Report::ok() const {
  return std::none_of(findings.begin(), findings.end(),
                      [](const Finding& f) { return f.severity == Severity::Problem; });
}

Report run(const Setup& s) {
  Report report;
  report.findings = check_unsafe_roots(s.roots);
  // Repairs first, so the checks below see the store as a user will from now on.
  if (report.findings.empty())
    report.repaired = store::recover_store(s.layout, s.shim_binary, s.roots.state, s.download_root).actions;
  append(report.findings, check_shim_binary(s.shim_binary));
  append(report.findings, check_shims_on_path(s.layout.shims_dir(), s.env, s.rtx_binary));
  append(report.findings, check_shims_shadowed(s.layout.shims_dir(), s.env, s.rtx_binary));
  append(report.findings, check_activation(s.layout.shims_dir(), s.env, s.rtx_binary));
  append(report.findings, check_plugins(s.layout));

  BuildCheckOptions builds{s.roots.state, 1, s.stale_after, 0};
  if (auto settings = config::load_settings(s.roots.config); settings)
    builds.keep_previous = settings->keep_previous;
  else
    report.findings.push_back(
        {Severity::Problem, "settings", settings.error(),
         "correct that line ('rtx gc', 'upgrade', 'rollback' and 'ps' refuse to run until then)"});
  append(report.findings, check_builds(s.layout, builds));
  return report;
}

}  // namespace rtx::doctor
