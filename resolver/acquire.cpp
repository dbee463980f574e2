#include "resolver/acquire.hpp"

#include <fcntl.h>
#include <sys/file.h>
#include <algorithm>
#include <cerrno>
#include <cstdlib>

#include "resolver/file_io.hpp"
#include "resolver/pin.hpp"
#include "resolver/version.hpp"

namespace rtx::resolver {

UniqueFd lock_lease_shared(const std::string& entry_path) {
  UniqueFd fd(::open(lease_path(entry_path).c_str(), O_RDONLY | O_CLOEXEC | O_NOFOLLOW | O_NONBLOCK));
  if (!fd.valid()) return fd;
  while (::flock(fd.get(), LOCK_SH | LOCK_NB) != 0) {
    if (errno != EINTR) return UniqueFd();
  }
  return fd;
}

namespace {

// The link named like the spec, read once (DESIGN.md §2: installs/<tool>/):
// - the version pointer (installs/node/20.11.1 -> ../../store/node/20.11.1-<build>):
//   the spec names an installed version, which ranks first (DESIGN.md §4, as
//   mise ranks an exact installed version);
// - a backend's alias ("lts", "lts-iron" for node: installs/node/lts -> 20.11.1);
// - a fuzzy link ("20" -> 20.11.1, "latest" -> …), which the manager keeps,
//   under the tool lock, on the newest installed match of its name
//   (store/pointers.cpp). It counts only when the spec still matches its
//   version; one left stale by a crash or an older rtx at worst names an older
//   match, which is READY or skipped (the slow path then lists them all).
// One readlink (two through a fuzzy link) instead of a listing of every
// installed version. Names starting with '.' are links being renamed in,
// which no listing returns either.
std::optional<Candidate> linked_candidate(const StoreLayout& layout, const std::string& tool, const VersionSpec& spec) {
  std::string_view name = spec.kind == SpecKind::Latest ? std::string_view("latest") : std::string_view(spec.text);
  if (spec.kind == SpecKind::System || name.empty() || name[0] == '.') return std::nullopt;
  std::string target = read_link(layout.pointer_path(tool, name));
  if (target.empty()) return std::nullopt;
  if (spec.kind == SpecKind::Version)
    if (std::string entry = pointer_target_entry(tool, target); !entry.empty())
      return Candidate{spec.text, std::move(entry)};
  if (target.find('/') != std::string::npos) return std::nullopt;
  bool alias = spec.kind == SpecKind::Version && (name[0] < '0' || name[0] > '9');
  if (!alias && !spec_matches(spec, target)) return std::nullopt;
  std::string entry = pointer_entry(layout, tool, target);
  if (entry.empty()) return std::nullopt;
  return Candidate{std::move(target), std::move(entry)};
}

// Only a backend's alias, for the listing (whose ranking holds the named
// version and the fuzzy links' versions): specs starting with a digit are
// version prefixes there, never aliases.
std::optional<Candidate> alias_candidate(const StoreLayout& layout, const std::string& tool, const VersionSpec& spec) {
  if (spec.kind != SpecKind::Version || spec.text.empty() || (spec.text[0] >= '0' && spec.text[0] <= '9'))
    return std::nullopt;
  auto linked = linked_candidate(layout, tool, spec);
  if (linked && linked->version == spec.text) return std::nullopt;  // a version named like an alias: listed
  return linked;
}

}  // namespace

std::vector<Candidate> list_candidates(const StoreLayout& layout, const Request& request) {
  std::vector<Candidate> out;
  std::vector<std::string> names;
  bool listed = false;
  for (const auto& spec : request.specs) {
    if (spec.kind == SpecKind::System) {
      out.push_back(Candidate{"system", {}});
      continue;
    }
    if (!listed) {
      names = list_install_names(layout, request.tool);
      listed = true;
    }
    if (auto alias = alias_candidate(layout, request.tool, spec)) out.push_back(std::move(*alias));
    for (std::size_t i : ranked_matches(spec, names)) {  // the named version first
      std::string entry = pointer_entry(layout, request.tool, names[i]);
      if (!entry.empty()) out.push_back(Candidate{names[i], std::move(entry)});
    }
  }
  return out;
}

std::optional<Candidate> best_candidate(const StoreLayout& layout, const Request& request) {
  std::vector<std::string> names;
  bool listed = false;
  for (const auto& spec : request.specs) {
    if (spec.kind == SpecKind::System) return Candidate{"system", {}};
    if (auto linked = linked_candidate(layout, request.tool, spec)) return linked;
    if (!listed) {  // no link: the newest of the installed matches
      names = list_install_names(layout, request.tool);
      listed = true;
    }
    std::size_t best = names.size();
    for (std::size_t i = 0; i < names.size(); ++i)
      if (spec_matches(spec, names[i]) && (best == names.size() || compare_versions(names[i], names[best]) > 0))
        best = i;
    if (best == names.size()) continue;
    if (std::string entry = pointer_entry(layout, request.tool, names[best]); !entry.empty())
      return Candidate{names[best], std::move(entry)};
    for (std::size_t i : ranked_matches(spec, names))  // the top name was a fuzzy link
      if (std::string entry = pointer_entry(layout, request.tool, names[i]); !entry.empty())
        return Candidate{names[i], std::move(entry)};
  }
  return std::nullopt;
}

namespace {

bool take(const StoreLayout& layout, const Request& request, const Candidate& c, Acquired& out) {
  if (c.entry.empty()) {
    out.version = "system";
    return true;
  }
  if (c.entry == "." || c.entry == "..") return false;
  std::string path = layout.entry_path(request.tool, c.entry);
  UniqueFd fd = lock_lease_shared(path);
  if (!fd.valid()) return false;
  if (read_state(path) != EntryState::Ready) return false;  // read only after the lock
  out.version = c.version;
  out.entry_path = std::move(path);
  out.lease = std::move(fd);
  return true;
}

bool try_pin(const StoreLayout& layout, const Request& request, Acquired& out) {
  const char* value = std::getenv(pin_env_var(request.tool).c_str());
  if (!value) return false;
  auto pin = decode_pin(value);
  // Not a pin at all (an older rtx's format in a long-running job): silently
  // not ours, like a pin of another tool or request.
  if (!pin) return false;
  // Another tool sharing the variable, or another request: not ours, silently.
  if (pin->tool != request.tool || pin->request != request.joined()) return false;
  if (std::string why = pin_mismatch(layout, request, *pin); !why.empty()) {
    out.warning = "rtx: dropping the pin of " + request.tool + " to " + pin->entry_path + " (" + why + "); resolving " +
                  request.joined() + " anew";
    return false;
  }
  UniqueFd fd = lock_lease_shared(pin->entry_path);
  EntryState state = fd.valid() ? read_state(pin->entry_path) : EntryState::Missing;
  if (state == EntryState::Ready || state == EntryState::Retired) {
    std::string_view name(pin->entry_path);
    name.remove_prefix(name.rfind('/') + 1);
    out.version = std::string(name.substr(0, name.rfind('-')));
    out.entry_path = std::move(pin->entry_path);
    out.lease = std::move(fd);
    out.from_pin = true;
    return true;
  }
  out.warning = "rtx: dropping the pin of " + request.tool + " to " + pin->entry_path + " (" +
                std::string(state_name(state)) + "); resolving " + request.joined() + " anew";
  return false;
}

}  // namespace

bool acquire_build(const StoreLayout& layout, const Request& request, Acquired& out) {
  if (try_pin(layout, request, out)) return true;  // step 2

  std::optional<Candidate> fast = best_candidate(layout, request);  // step 3
  if (!fast) return false;
  if (take(layout, request, *fast, out)) return true;

  // Step 4, at most once: under the shared tool lock managers cannot flip
  // pointers, so a stream of upgrades cannot starve us.
  UniqueFd tool_lock(::open(layout.tool_lock(request.tool).c_str(), O_RDONLY | O_CLOEXEC));
  if (tool_lock.valid())
    while (::flock(tool_lock.get(), LOCK_SH) != 0 && errno == EINTR) {
    }
  for (const Candidate& c : list_candidates(layout, request))
    if (take(layout, request, c, out)) return true;
  return false;
}

}  // namespace rtx::resolver
