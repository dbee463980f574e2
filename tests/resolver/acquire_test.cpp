// Acquiring a build for a request (DESIGN.md §5 steps 2–4) against a store
// built by hand: candidates, the fast and slow paths, leases and pins.
#include <gtest/gtest.h>

#include <sys/file.h>

#include <atomic>
#include <chrono>
#include <initializer_list>
#include <optional>
#include <string>
#include <thread>
#include <vector>

#include "fake_store.hpp"
#include "resolver/acquire.hpp"
#include "resolver/pin.hpp"
#include "tests/support/scoped_env.hpp"

namespace rtx::resolver {
namespace {

Request request(const std::string& tool, std::initializer_list<const char*> specs) {
  Request r;
  r.tool = tool;
  for (const char* s : specs) {
    auto spec = parse_spec(s);
    if (spec)
      r.specs.push_back(*spec);
    else
      ADD_FAILURE() << spec.error();
  }
  return r;
}

class AcquireTest : public ::testing::Test {
 protected:
  std::vector<std::string> candidate_versions(const Request& r) {
    std::vector<std::string> out;
    for (const auto& c : list_candidates(store_.layout(), r)) out.push_back(c.version);
    return out;
  }
  std::string entry(const std::string& version, const std::string& build) {
    return store_.layout().entry_path("node", version + "-" + build);
  }
  void set_pin(const std::string& request, const std::string& entry_path) {
    pin_.emplace(pin_env_var("node"), encode_pin(Pin{"node", request, entry_path}));
  }

  test::FakeStore store_;
  test::ScopedEnv no_pin_{"RTX_PIN_NODE", std::nullopt};
  std::optional<test::ScopedEnv> pin_;
};

// ---- list_candidates

class CandidatesTest : public AcquireTest {
 protected:
  CandidatesTest() {
    store_.install("node", "1.2.3", "b1");
    store_.install("node", "1.2.10", "b7");
    store_.install("node", "1.3.0", "b2");
    store_.install("node", "1.2.4-rc1", "b3");
    store_.install("node", "2.0.0-rc1", "b4");
    store_.fuzzy("node", "1", "1.3.0");
    store_.fuzzy("node", "1.2", "1.2.10");
    store_.fuzzy("node", "latest", "1.3.0");
  }
};

TEST_F(CandidatesTest, PrefixBestFirstWithoutFuzzyLinks) {
  auto c = list_candidates(store_.layout(), request("node", {"1.2"}));
  ASSERT_EQ(c.size(), 2u);
  EXPECT_EQ(c[0].version, "1.2.10");
  EXPECT_EQ(c[0].entry, "1.2.10-b7");
  EXPECT_EQ(c[1].version, "1.2.3");
  EXPECT_EQ(c[1].entry, "1.2.3-b1");
}

TEST_F(CandidatesTest, LatestAndMajorPrefix) {
  const std::vector<std::string> releases = {"1.3.0", "1.2.10", "1.2.3"};
  EXPECT_EQ(candidate_versions(request("node", {"latest"})), releases);
  EXPECT_EQ(candidate_versions(request("node", {"1"})), releases);
}

TEST_F(CandidatesTest, ExactPrerelease) {
  auto c = list_candidates(store_.layout(), request("node", {"2.0.0-rc1"}));
  ASSERT_EQ(c.size(), 1u);
  EXPECT_EQ(c[0].entry, "2.0.0-rc1-b4");
}

TEST_F(CandidatesTest, FallbacksInOrder) {
  EXPECT_EQ(candidate_versions(request("node", {"9", "1.3"})), (std::vector<std::string>{"1.3.0"}));
  EXPECT_EQ(candidate_versions(request("node", {"1.3", "1.2"})),
            (std::vector<std::string>{"1.3.0", "1.2.10", "1.2.3"}));
}

TEST_F(CandidatesTest, SystemSpecIsAnEmptyEntry) {
  auto c = list_candidates(store_.layout(), request("node", {"9", "system"}));
  ASSERT_EQ(c.size(), 1u);
  EXPECT_EQ(c[0].version, "system");
  EXPECT_TRUE(c[0].entry.empty());
}

TEST_F(CandidatesTest, NothingForAMissingToolOrVersion) {
  EXPECT_TRUE(list_candidates(store_.layout(), request("ruby", {"latest"})).empty());
  EXPECT_TRUE(list_candidates(store_.layout(), request("node", {"1.4"})).empty());
}

TEST_F(CandidatesTest, APointerOutsideTheToolsStoreIsNotACandidate) {
  test::make_symlink("/usr", store_.layout().pointer_path("node", "9.9.9"));
  test::make_symlink("../../store/ruby/9.9.8-b1", store_.layout().pointer_path("node", "9.9.8"));
  EXPECT_TRUE(list_candidates(store_.layout(), request("node", {"9"})).empty());
}

// A backend's alias (node's "lts") is a link named like the spec, naming a
// version; it is followed once, never matched as a version prefix.
TEST_F(CandidatesTest, AnAliasLinkIsFollowedToItsVersion) {
  store_.fuzzy("node", "lts", "1.2.10");
  store_.fuzzy("node", "lts-iron", "1.2.3");
  auto best = best_candidate(store_.layout(), request("node", {"lts"}));
  ASSERT_TRUE(best);
  EXPECT_EQ(best->version, "1.2.10");
  EXPECT_EQ(best->entry, "1.2.10-b7");
  EXPECT_EQ(candidate_versions(request("node", {"lts-iron"})), (std::vector<std::string>{"1.2.3"}));
  EXPECT_EQ(candidate_versions(request("node", {"lts/Iron"})), (std::vector<std::string>{"1.2.3"}));
  EXPECT_FALSE(best_candidate(store_.layout(), request("node", {"lts-hydrogen"})));
}

TEST_F(CandidatesTest, AnAliasToAMissingVersionOrOutsideTheStoreIsNotACandidate) {
  store_.fuzzy("node", "lts", "9.9.9");
  store_.fuzzy("node", "lts-x", "../../../etc");
  EXPECT_FALSE(best_candidate(store_.layout(), request("node", {"lts"})));
  EXPECT_TRUE(candidate_versions(request("node", {"lts"})).empty());
  EXPECT_TRUE(candidate_versions(request("node", {"lts-x"})).empty());
}

// An installed version the spec names exactly wins over a longer one the spec
// also prefixes (mise 2026.9.15: `mise where` with 1.2.3 and 1.2.3.1 installed
// answers 1.2.3 for "1.2.3", 1.2.3.1 for "1.2"), and best_candidate finds it
// by its pointer alone: it does not need the tool's listing.
TEST_F(CandidatesTest, AVersionTheSpecNamesRanksFirst) {
  store_.install("node", "1.2.3.1", "b8");
  auto best = best_candidate(store_.layout(), request("node", {"1.2.3"}));
  ASSERT_TRUE(best);
  EXPECT_EQ(best->entry, "1.2.3-b1");
  EXPECT_EQ(candidate_versions(request("node", {"1.2.3"})), (std::vector<std::string>{"1.2.3", "1.2.3.1"}));
  EXPECT_EQ(candidate_versions(request("node", {"1.2"})), (std::vector<std::string>{"1.2.10", "1.2.3.1", "1.2.3"}));
  // A fuzzy link named like the spec is not a version: the newest match wins.
  best = best_candidate(store_.layout(), request("node", {"1.2"}));
  ASSERT_TRUE(best);
  EXPECT_EQ(best->entry, "1.2.10-b7");
}

// A fuzzy link names the newest match (the manager keeps it so): one readlink.
// A link that no longer fits (stale after a crash, or planted) is passed over
// for the listing.
TEST_F(CandidatesTest, AFuzzyLinkIsFollowedOnlyWhileItFits) {
  auto best = best_candidate(store_.layout(), request("node", {"1"}));
  ASSERT_TRUE(best);
  EXPECT_EQ(best->entry, "1.3.0-b2");
  best = best_candidate(store_.layout(), request("node", {"latest"}));
  ASSERT_TRUE(best);
  EXPECT_EQ(best->entry, "1.3.0-b2");

  test::remove_file(store_.layout().pointer_path("node", "1"));
  store_.fuzzy("node", "1", "2.0.0-rc1");  // a version "1" does not match
  best = best_candidate(store_.layout(), request("node", {"1"}));
  ASSERT_TRUE(best);
  EXPECT_EQ(best->entry, "1.3.0-b2");

  test::remove_file(store_.layout().pointer_path("node", "1.2"));
  store_.fuzzy("node", "1.2", "1.2.99");  // a version without a pointer
  best = best_candidate(store_.layout(), request("node", {"1.2"}));
  ASSERT_TRUE(best);
  EXPECT_EQ(best->entry, "1.2.10-b7");
}

TEST_F(AcquireTest, ANamedVersionThatIsNotReadyFallsToTheNextMatch) {
  store_.install("node", "1.2.3", "b1");
  std::string newer = store_.install("node", "1.2.3.1", "b2");
  test::FakeStore::set_state(entry("1.2.3", "b1"), "RETIRED");
  Acquired got;
  ASSERT_TRUE(acquire_build(store_.layout(), request("node", {"1.2.3"}), got));
  EXPECT_EQ(got.entry_path, newer);
}

TEST_F(AcquireTest, ScopedToolNamesUseTheirStoreDirectory) {
  store_.install("npm:@scope/pkg", "1.0.0", "b1");
  EXPECT_TRUE(test::exists(store_.data() + "/installs/npm:@scope+pkg/1.0.0"));
  auto c = list_candidates(store_.layout(), request("npm:@scope/pkg", {"1"}));
  ASSERT_EQ(c.size(), 1u);
  EXPECT_EQ(c[0].entry, "1.0.0-b1");
}

// ---- acquire_build: fast path, slow path

TEST_F(AcquireTest, TakesTheBestReadyBuildHoldingASharedLease) {
  store_.install("node", "1.2.3", "b1");
  std::string best = store_.install("node", "1.3.0", "b2");
  {
    Acquired a;
    ASSERT_TRUE(acquire_build(store_.layout(), request("node", {"1"}), a));
    EXPECT_EQ(a.version, "1.3.0");
    EXPECT_EQ(a.entry_path, best);
    EXPECT_TRUE(a.lease.valid());
    EXPECT_FALSE(a.from_pin);
    EXPECT_TRUE(a.warning.empty()) << a.warning;

    int err = 0;
    EXPECT_FALSE(test::can_lock_exclusive(best, &err)) << "a reaper could take the lease";
    EXPECT_EQ(err, EWOULDBLOCK);
    UniqueFd other = test::open_lease(best);
    EXPECT_EQ(::flock(other.get(), LOCK_SH | LOCK_NB), 0) << "the lock must be shared";
  }
  EXPECT_TRUE(test::can_lock_exclusive(best)) << "the lease outlived Acquired";
}

TEST_F(AcquireTest, StateFileWithTrailingNewlineIsReady) {
  std::string path = store_.install("node", "1.3.0", "b2", "READY\n");
  Acquired a;
  ASSERT_TRUE(acquire_build(store_.layout(), request("node", {"1.3"}), a));
  EXPECT_EQ(a.entry_path, path);
}

TEST_F(AcquireTest, NotReadyBestIsSkippedForTheNextReady) {
  for (const char* state : {"BUILDING", "RETIRED", "REAPING", "FAILED", "GARBAGE", "", "ready"}) {
    SCOPED_TRACE(std::string("best is '") + state + "'");
    test::FakeStore store;
    std::string next = store.install("node", "1.2.10", "b1");
    std::string best = store.install("node", "1.3.0", "b2", state);
    store.tool_lock_file("node");
    Acquired a;
    ASSERT_TRUE(acquire_build(store.layout(), request("node", {"latest"}), a));
    EXPECT_EQ(a.version, "1.2.10");
    EXPECT_EQ(a.entry_path, next);
    EXPECT_TRUE(a.lease.valid());
    EXPECT_FALSE(test::can_lock_exclusive(next));
    EXPECT_TRUE(test::can_lock_exclusive(best)) << "a skipped build must not stay locked";
  }
}

TEST_F(AcquireTest, MissingStateFileIsNotReady) {
  std::string next = store_.install("node", "1.2.10", "b1");
  std::string best = store_.install("node", "1.3.0", "b2");
  test::remove_file(state_path(best));
  Acquired a;
  ASSERT_TRUE(acquire_build(store_.layout(), request("node", {"latest"}), a));
  EXPECT_EQ(a.entry_path, next);
}

TEST_F(AcquireTest, ExclusiveLeaseHolderMakesABuildNotAcquirable) {
  std::string next = store_.install("node", "1.2.10", "b1");
  std::string best = store_.install("node", "1.3.0", "b2");
  UniqueFd reaper = test::open_lease(best);
  ASSERT_EQ(::flock(reaper.get(), LOCK_EX | LOCK_NB), 0);

  Acquired a;
  ASSERT_TRUE(acquire_build(store_.layout(), request("node", {"latest"}), a));
  EXPECT_EQ(a.entry_path, next);

  Acquired only;
  EXPECT_FALSE(acquire_build(store_.layout(), request("node", {"1.3"}), only));
  EXPECT_FALSE(only.lease.valid());
}

TEST_F(AcquireTest, MissingLeaseIsNotAcquirableAndNeverCreated) {
  std::string next = store_.install("node", "1.2.10", "b1");
  std::string best = store_.install("node", "1.3.0", "b2");
  test::remove_file(lease_path(best));
  Acquired a;
  ASSERT_TRUE(acquire_build(store_.layout(), request("node", {"latest"}), a));
  EXPECT_EQ(a.entry_path, next);
  EXPECT_FALSE(test::exists(lease_path(best))) << "the read side created a lease";
  EXPECT_FALSE(lock_lease_shared(best).valid());
}

TEST_F(AcquireTest, NoReadyBuildFails) {
  store_.install("node", "1.2.10", "b1", "RETIRED");
  store_.install("node", "1.3.0", "b2", "BUILDING");
  Acquired a;
  EXPECT_FALSE(acquire_build(store_.layout(), request("node", {"latest"}), a));
  EXPECT_FALSE(a.lease.valid());
  EXPECT_TRUE(a.entry_path.empty());
}

TEST_F(AcquireTest, MissingToolOrVersionFails) {
  store_.install("node", "1.3.0", "b2");
  Acquired a;
  EXPECT_FALSE(acquire_build(store_.layout(), request("ruby", {"latest"}), a));
  EXPECT_FALSE(acquire_build(store_.layout(), request("node", {"1.4"}), a));
  EXPECT_FALSE(acquire_build(store_.layout(), request("node", {"1.3.0-rc1"}), a));
}

TEST_F(AcquireTest, FallbackSpecTakesTheNextInstalledVersion) {
  store_.install("node", "1.2.10", "b1");
  Acquired a;
  ASSERT_TRUE(acquire_build(store_.layout(), request("node", {"1.4", "1.2"}), a));
  EXPECT_EQ(a.version, "1.2.10");
}

TEST_F(AcquireTest, SystemSpecYieldsSystem) {
  store_.install("node", "1.3.0", "b2");
  Acquired a;
  ASSERT_TRUE(acquire_build(store_.layout(), request("node", {"system"}), a));
  EXPECT_EQ(a.version, "system");
  EXPECT_TRUE(a.entry_path.empty());
  EXPECT_FALSE(a.lease.valid());
}

TEST_F(AcquireTest, FastPathDoesNotWaitForTheToolLock) {
  std::string best = store_.install("node", "1.3.0", "b2");
  store_.tool_lock_file("node");
  UniqueFd manager(::open(store_.layout().tool_lock("node").c_str(), O_RDONLY | O_CLOEXEC));
  ASSERT_EQ(::flock(manager.get(), LOCK_EX | LOCK_NB), 0);
  Acquired a;
  ASSERT_TRUE(acquire_build(store_.layout(), request("node", {"1.3"}), a));  // would hang if it waited
  EXPECT_EQ(a.entry_path, best);
}

TEST_F(AcquireTest, SlowPathWaitsForTheToolLockHeldByAManager) {
  std::string next = store_.install("node", "1.2.10", "b1");
  store_.install("node", "1.3.0", "b2", "BUILDING");
  store_.tool_lock_file("node");
  UniqueFd manager(::open(store_.layout().tool_lock("node").c_str(), O_RDONLY | O_CLOEXEC));
  ASSERT_EQ(::flock(manager.get(), LOCK_EX | LOCK_NB), 0);

  std::atomic<bool> done{false};
  Acquired a;
  bool ok = false;
  std::thread shim([&] {
    ok = acquire_build(store_.layout(), request("node", {"latest"}), a);
    done = true;
  });
  std::this_thread::sleep_for(std::chrono::milliseconds(150));
  EXPECT_FALSE(done) << "the slow path did not take the tool lock";
  manager.reset();  // the manager's state change is over
  shim.join();
  EXPECT_TRUE(ok);
  EXPECT_EQ(a.entry_path, next);
}

// ---- pins (step 2)

TEST_F(AcquireTest, PinForTheSameRequestIsHonouredEvenWhenRetired) {
  store_.install("node", "1.3.0", "b2");
  // Retired: its pointer is gone, only the pin still names it.
  std::string pinned = store_.add_build("node", "1.2.10", "b1", "RETIRED");
  set_pin("1", pinned);

  Acquired a;
  ASSERT_TRUE(acquire_build(store_.layout(), request("node", {"1"}), a));
  EXPECT_TRUE(a.from_pin);
  EXPECT_EQ(a.version, "1.2.10");
  EXPECT_EQ(a.entry_path, pinned);
  EXPECT_TRUE(a.warning.empty()) << a.warning;
  EXPECT_FALSE(test::can_lock_exclusive(pinned)) << "the pinned lease is not held";
}

TEST_F(AcquireTest, PinToAReadyBuildThatIsNotTheBestIsHonoured) {
  store_.install("node", "1.3.0", "b2");
  std::string pinned = store_.install("node", "1.2.3", "b1");
  set_pin("1 1.2", pinned);
  Acquired a;
  ASSERT_TRUE(acquire_build(store_.layout(), request("node", {"1", "1.2"}), a));
  EXPECT_TRUE(a.from_pin);
  EXPECT_EQ(a.version, "1.2.3");
  EXPECT_EQ(a.entry_path, pinned);
}

TEST_F(AcquireTest, PinThatCannotServeIsDroppedWithAWarning) {
  struct Case {
    const char* what;
    const char* state;
    bool remove_lease;
    bool reaper_holds_lease;
  };
  const Case cases[] = {
      {"reaping", "REAPING", false, false},     {"failed", "FAILED", false, false},
      {"building", "BUILDING", false, false},   {"lease missing", "RETIRED", true, false},
      {"state missing", nullptr, false, false}, {"reaper holds the lease", "RETIRED", false, true},
  };
  for (const auto& c : cases) {
    SCOPED_TRACE(c.what);
    test::FakeStore store;
    std::string best = store.install("node", "1.3.0", "b2");
    std::string pinned = store.add_build("node", "1.2.10", "b1", c.state ? c.state : "RETIRED");
    if (!c.state) test::remove_file(state_path(pinned));
    if (c.remove_lease) test::remove_file(lease_path(pinned));
    UniqueFd reaper;
    if (c.reaper_holds_lease) {
      reaper = test::open_lease(pinned);
      ASSERT_EQ(::flock(reaper.get(), LOCK_EX | LOCK_NB), 0);
    }
    test::ScopedEnv pin(pin_env_var("node"), encode_pin(Pin{"node", "1", pinned}));

    Acquired a;
    ASSERT_TRUE(acquire_build(store.layout(), request("node", {"1"}), a));
    EXPECT_FALSE(a.from_pin);
    EXPECT_EQ(a.entry_path, best);
    EXPECT_FALSE(a.warning.empty());
    EXPECT_NE(a.warning.find(pinned), std::string::npos) << a.warning;
    EXPECT_FALSE(test::exists(lease_path(pinned)) && c.remove_lease) << "the pin created a lease";
    if (!c.reaper_holds_lease && !c.remove_lease) {
      EXPECT_TRUE(test::can_lock_exclusive(pinned)) << "a dropped pin kept its lease locked";
    }
  }
}

TEST_F(AcquireTest, PinForADifferentRequestIsIgnored) {
  std::string best = store_.install("node", "1.3.0", "b2");
  std::string pinned = store_.install("node", "1.2.10", "b1");
  set_pin("1.2", pinned);
  Acquired a;
  ASSERT_TRUE(acquire_build(store_.layout(), request("node", {"1"}), a));
  EXPECT_FALSE(a.from_pin);
  EXPECT_EQ(a.entry_path, best);
  EXPECT_TRUE(a.warning.empty()) << a.warning;
}

TEST_F(AcquireTest, PinForAnotherToolIsIgnored) {
  std::string best = store_.install("node", "1.3.0", "b2");
  std::string other = store_.install("nodejs", "1.2.10", "b1");
  test::ScopedEnv pin(pin_env_var("nodejs"), encode_pin(Pin{"nodejs", "1", other}));
  Acquired a;
  ASSERT_TRUE(acquire_build(store_.layout(), request("node", {"1"}), a));
  EXPECT_FALSE(a.from_pin);
  EXPECT_EQ(a.entry_path, best);
}

TEST_F(AcquireTest, MalformedPinIsIgnoredSilently) {
  std::string best = store_.install("node", "1.3.0", "b2");
  std::string pinned = store_.install("node", "1.2.10", "b1");
  for (std::string value : {std::string("1"), std::string("1\t"), "1\trelative/" + pinned.substr(1), "1 " + pinned}) {
    SCOPED_TRACE(value);
    test::ScopedEnv pin(pin_env_var("node"), value);
    Acquired a;
    ASSERT_TRUE(acquire_build(store_.layout(), request("node", {"1"}), a));
    EXPECT_FALSE(a.from_pin);
    EXPECT_EQ(a.entry_path, best);
    EXPECT_TRUE(a.warning.empty()) << a.warning;
  }
}

TEST_F(AcquireTest, DroppedPinWithNothingElseInstalledFails) {
  std::string pinned = store_.add_build("node", "1.2.10", "b1", "REAPING");
  set_pin("1", pinned);
  Acquired a;
  EXPECT_FALSE(acquire_build(store_.layout(), request("node", {"1"}), a));
  EXPECT_FALSE(a.warning.empty());
}

}  // namespace
}  // namespace rtx::resolver
