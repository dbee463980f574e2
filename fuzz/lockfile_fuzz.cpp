// rtx.lock / mise.lock: lock::parse_lockfile on any bytes (one error line, or
// entries that pass the writer's own checks), and on what parses, the in-place
// merge of update_lockfile: rewriting every tool as read, then updating one
// tool, adding one and removing another. Whatever the merge returns must read
// back as intended, checked here apart from the merge's own check.
#include <string>
#include <vector>

#include "fuzz/fuzz_check.hpp"
#include "manager/lock/lock_fields.hpp"
#include "manager/lock/lock_merge.hpp"
#include "manager/lock/lockfile.hpp"

namespace {

using rtx::lock::LockedTool;

std::vector<LockedTool> of_tool(const std::vector<LockedTool>& all, const std::string& tool) {
  std::vector<LockedTool> out;
  for (const auto& t : all)
    if (t.tool == tool) out.push_back(t);
  return out;
}

// `merged` reads; each tool of `entries` reads as given; `removed` is gone; every
// other tool reads as in `before`, in the same order.
void check_merged(const std::string& merged, const std::vector<LockedTool>& before,
                  const std::vector<LockedTool>& entries, const std::vector<std::string>& removed) {
  auto after = rtx::lock::parse_lockfile("fuzz.lock", merged);
  FUZZ_CHECK(after.ok());
  std::vector<std::string> touched = removed;
  for (const auto& e : entries) touched.push_back(e.tool);
  auto is_touched = [&](const std::string& tool) {
    for (const auto& t : touched)
      if (t == tool) return true;
    return false;
  };
  std::vector<LockedTool> kept_before, kept_after;
  for (const auto& t : before)
    if (!is_touched(t.tool)) kept_before.push_back(t);
  for (const auto& t : after->tools)
    if (!is_touched(t.tool)) kept_after.push_back(t);
  FUZZ_CHECK(kept_before == kept_after);
  for (const auto& tool : touched) FUZZ_CHECK(of_tool(after->tools, tool) == of_tool(entries, tool));
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  std::string text(rtx::fuzz::as_text(data, size));
  auto lock = rtx::lock::parse_lockfile("fuzz.lock", text);
  if (!lock) {
    FUZZ_CHECK(!lock.error().empty() && lock.error().find('\n') == std::string::npos);
    return 0;
  }
  for (const auto& t : lock->tools) FUZZ_CHECK(rtx::lock::check_entry(t).ok());

  // Every tool as read: nothing changes, or (older key forms) it reads the same.
  auto same = rtx::lock::merge_lockfile_text("fuzz.lock", text, lock->tools, {});
  if (same) check_merged(*same, lock->tools, lock->tools, {});

  // One tool updated (or a first one written), one added, the last removed.
  std::vector<LockedTool> entries;
  LockedTool changed = lock->tools.empty() ? LockedTool{"node", "1.0.0", "core:node", {"1"}, {}} : lock->tools.front();
  changed.version += ".9";
  changed.platforms["linux-arm64"] = {"https://example.com/a\"b\\c.tar.gz", "sha256:" + std::string(64, 'f'), 7};
  for (const auto& t : lock->tools)
    if (t.tool == changed.tool && t.specifiers != changed.specifiers) entries.push_back(t);
  entries.push_back(changed);
  entries.push_back(LockedTool{"npm:@fuzz/new", "2.0.0", "npm:@fuzz/new", {"latest"}, {}});
  std::vector<std::string> removed;
  if (lock->tools.size() > 1 && lock->tools.back().tool != changed.tool) removed.push_back(lock->tools.back().tool);
  if (!rtx::lock::check_entry(changed).ok()) return 0;  // a version grown past 128 bytes
  auto merged = rtx::lock::merge_lockfile_text("fuzz.lock", text, entries, removed);
  if (merged) check_merged(*merged, lock->tools, entries, removed);
  return 0;
}
