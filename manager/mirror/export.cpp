#include "manager/mirror/export.hpp"

#include "manager/mirror/layouts.hpp"
#include "manager/mirror/prepare.hpp"

namespace rtx::mirror {

std::optional<Layout> layout_of(const std::string& backend) {
  if (backend == "core:node") return Layout::node;
  if (backend == "core:go") return Layout::go;
  if (backend == "core:python") return Layout::python;
  if (backend == "core:rust") return Layout::rust;
  if (backend.rfind("npm:", 0) == 0 && backend.size() > 4) return Layout::npm;
  return std::nullopt;
}

const Upstream& upstream_of(Layout layout) {
  // The bases are the backends' upstreams (manager/backends/core/*.cpp): the
  // URLs a lock records, whose paths the mirror folder repeats.
  static const Upstream node{"node", "RTX_NODE_MIRROR", "https://nodejs.org/dist", "check RTX_NODE_MIRROR"};
  static const Upstream go{"go", "RTX_GO_MIRROR", "https://go.dev/dl", "check RTX_GO_MIRROR"};
  static const Upstream python{"python", "RTX_PYTHON_MIRROR",
                               "https://github.com/indygreg/python-build-standalone/releases/download",
                               "check RTX_PYTHON_MIRROR"};
  static const Upstream rust{"rust", "RTX_RUST_MIRROR", "https://static.rust-lang.org", "check RTX_RUST_MIRROR"};
  static const Upstream npm{"npm", "NPM_CONFIG_REGISTRY", "https://registry.npmjs.org", "check the npm registry"};
  switch (layout) {
    case Layout::node:
      return node;
    case Layout::go:
      return go;
    case Layout::python:
      return python;
    case Layout::rust:
      return rust;
    case Layout::npm:
      break;
  }
  return npm;
}

Expected<ExportResult> export_mirror(const ExportOptions& options, const std::vector<Wanted>& wanted) {
  ExportResult result;
  // Phase 1: every artifact verified in the download cache; DIR untouched.
  std::vector<std::pair<Layout, std::vector<PreparedVersion>>> core;
  for (Layout layout : {Layout::node, Layout::go, Layout::python, Layout::rust}) {
    std::vector<const Wanted*> of_layout;
    for (const auto& w : wanted)
      if (w.layout == layout) of_layout.push_back(&w);
    if (of_layout.empty()) continue;
    auto prepared = prepare_core(options, layout, of_layout, result.exported);
    if (!prepared) return Error{prepared.error()};
    if (!prepared->empty()) core.emplace_back(layout, std::move(*prepared));
  }
  std::vector<const Wanted*> npm;
  for (const auto& w : wanted)
    if (w.layout == Layout::npm) npm.push_back(&w);
  PreparedNpmSet npm_set;
  if (!npm.empty()) {
    auto prepared = prepare_npm(options, npm, result.exported, result.notes);
    if (!prepared) return Error{prepared.error()};
    npm_set = std::move(*prepared);
  }
  if (core.empty() && npm_set.packages.empty())
    return make_error("nothing to export: no version of node, go, python, rust or an npm package has an artifact here");

  // Phase 2: what each layout writes, merged with the folder's documents
  // (one that cannot be merged stops the export here, nothing written)…
  Publisher out(options.dir);
  std::vector<PendingWrites> plans;
  for (const auto& [layout, versions] : core) {
    PendingWrites plan;
    Status st = ok_status();
    switch (layout) {
      case Layout::node:
        st = plan_node_layout(out, options.env, versions, plan, result.notes);
        break;
      case Layout::go:
        st = plan_go_layout(out, options.env, versions, plan);
        break;
      case Layout::python:
        st = plan_python_layout(out, versions, plan);
        break;
      case Layout::rust:
        st = plan_rust_layout(out, versions, plan);
        break;
      case Layout::npm:
        break;
    }
    if (!st) return Error{st.error()};
    plans.push_back(std::move(plan));
  }
  if (!npm_set.packages.empty()) {
    PendingWrites plan;
    if (auto st = plan_npm_layout(out, npm_set, plan); !st) return Error{st.error()};
    plans.push_back(std::move(plan));
  }
  // …then written: artifacts before the documents naming them.
  if (auto st = commit_writes(out, plans); !st) return Error{st.error()};
  result.counts = out.counts();
  return result;
}

Status commit_writes(Publisher& folder, const std::vector<PendingWrites>& plans) {
  for (const auto& plan : plans)
    for (const auto& [rel, a] : plan.artifacts)
      if (auto st = folder.put_artifact(rel, a.path, a.checksum); !st) return st;
  for (const auto& plan : plans)
    for (const auto& doc : plan.documents)
      if (auto st = doc.text ? folder.write(doc.rel, *doc.text) : folder.remove(doc.rel); !st) return st;
  return ok_status();
}

}  // namespace rtx::mirror
