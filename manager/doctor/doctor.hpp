// `rtx doctor` (issue 9 item 9): first repairs what a crash left (store
// recovery, DESIGN.md §3) unless a root is unsafe (repairing a folder another
// user can write would act on their files), then runs every check of
// checks.hpp. The CLI only prints the report.
//
//   doctor::Setup setup{roots, layout, shim_binary, rtx_binary, download_root,
//                       doctor::ShellEnv::from_environment(), std::chrono::hours(1)};
//   doctor::Report report = doctor::run(setup);
//   if (!report.ok()) …  // a Problem among report.findings
#pragma once

#include <chrono>
#include <string>
#include <vector>

#include "manager/doctor/checks.hpp"
#include "manager/doctor/finding.hpp"
#include "resolver/roots.hpp"
#include "resolver/store_layout.hpp"

namespace rtx::doctor {

struct Setup {
  resolver::Roots roots;
  resolver::StoreLayout layout;
  std::string shim_binary;
  std::string rtx_binary;     // for the activation line the fixes name
  std::string download_root;  // plugin download scratch folders, swept by recovery
  ShellEnv env;
  std::chrono::seconds stale_after{3600};  // a build older than this in BUILDING & co. is stuck
};

struct Report {
  std::vector<std::string> repaired;  // recovery's actions, one line each
  Findings findings;                  // in check order
  bool ok() const;                    // no Problem
};

Report run(const Setup& setup);

}  // namespace rtx::doctor
