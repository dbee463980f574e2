#include "manager/net/downloader.hpp"

#include <sys/stat.h>

#include <cstdlib>
#include <stdexcept>
#include <thread>

#include "manager/net/download_cache.hpp"
#include "manager/net/hashing.hpp"
#include "manager/net/offline.hpp"
#include "manager/net/part_file.hpp"
#include "manager/net/progress.hpp"
#include "manager/net/transfer.hpp"
#include "manager/util/fs.hpp"
#include "manager/util/log.hpp"
#include "manager/util/process_runner.hpp"

namespace rtx::net {
namespace {

using Clock = std::chrono::steady_clock;
using std::chrono::milliseconds;

constexpr std::chrono::seconds kDefaultStall{30};

// Where the file ends up, and the cache entry folder holding it (if cached).
struct Target {
  std::string path;
  std::string entry_dir;
  std::string name;  // shown on the progress line
};

std::string fix_for(const DownloadRequest& req, const AttemptResult& r, std::chrono::seconds stall) {
  switch (r.kind) {
    case FailureKind::http_status:
      if (!req.hint.empty()) return req.hint;
      if (r.http_status >= 500 || r.http_status == 429) return "the server is failing or busy: try again later";
      return "check the URL";
    case FailureKind::connect: {
      // A wrong mirror host is as likely as a network problem: both fixes.
      std::string fix = "check the network and the proxy settings (HTTPS_PROXY, NO_PROXY)";
      return req.hint.empty() ? fix : fix + ", or " + req.hint;
    }
    case FailureKind::stall:
      return "check the network, or raise RTX_HTTP_STALL_TIMEOUT (now " + std::to_string(stall.count()) +
             " s); run again to resume";
    case FailureKind::cut:
      return "check the network; run again to resume";
    case FailureKind::timeout:
      return "the download takes longer than allowed; run again to resume";
    case FailureKind::local:
      return "";  // the reason already says how to fix it
    case FailureKind::too_large:
      return req.max_bytes_fix.empty() ? "check the URL" : req.max_bytes_fix;
    case FailureKind::none:
    case FailureKind::other:
      break;
  }
  return req.hint.empty() ? "check the URL" : req.hint;
}

std::string failure_line(const DownloadRequest& req, int attempts, const AttemptResult& r, std::chrono::seconds stall) {
  std::string line = "download of " + req.url + " failed";
  if (attempts > 1) line += " after " + std::to_string(attempts) + " attempts";
  line += ": " + r.reason;
  std::string fix = fix_for(req, r, stall);
  return fix.empty() ? line : line + ": " + fix;
}

milliseconds backoff_before(int attempt, const RetryPolicy& policy) {  // attempt: the one about to start, from 2
  milliseconds delay = policy.first_backoff;
  for (int i = 2; i < attempt && delay < policy.max_backoff; ++i) delay *= 2;
  return std::min(delay, policy.max_backoff);
}

// Sleeps in short slices so that Ctrl-C is never held up by a backoff.
bool sleep_unless_interrupted(milliseconds delay) {
  auto until = Clock::now() + delay;
  while (Clock::now() < until) {
    if (util::interrupted()) return false;
    std::this_thread::sleep_for(std::min<Clock::duration>(milliseconds(50), until - Clock::now()));
  }
  return !util::interrupted();
}

Expected<DownloadResult> cache_hit(const std::string& path, const Checksum& checksum) {
  struct stat st {};
  if (::stat(path.c_str(), &st) != 0) return make_error("cannot read " + path + ": " + util::errno_text());
  DownloadResult r;
  r.path = path;
  r.size = std::uint64_t(st.st_size);
  r.checksum = checksum;
  r.from_cache = true;
  return r;
}

// The attempts, the checksum and the rename, once `part` is ours (locked).
class Fetch {
 public:
  Fetch(const DownloadRequest& req, const Target& target, PartFile& part, std::chrono::seconds stall)
      : req_(req),
        target_(target),
        part_(part),
        stall_(stall),
        hasher_(req.expected ? req.expected->algorithm : HashAlgorithm::sha256),
        meter_(req.progress_fd, req.url, target.name) {}

  Expected<DownloadResult> run() {
    if (part_.size() > 0) {
      if (Status s = take_over_part(); !s) return fail(s.error());
    }
    TransferSettings settings;
    settings.url = req_.url;
    settings.connect_timeout = req_.connect_timeout;
    settings.stall_timeout = stall_;
    settings.headers = req_.headers;
    settings.max_bytes = req_.max_bytes;
    std::optional<Clock::time_point> deadline;
    if (req_.timeout) deadline = Clock::now() + *req_.timeout;
    bool restarted = false;

    while (true) {
      ++attempts_;
      if (deadline) settings.time_left = std::chrono::duration_cast<milliseconds>(*deadline - Clock::now());
      AttemptResult r;
      util::log_debug("GET " + req_.url + " (attempt " + std::to_string(attempts_) + ") to " + target_.path);
      if (settings.time_left && settings.time_left->count() <= 0) {
        r.outcome = Outcome::transient;
        r.kind = FailureKind::timeout;
        r.reason = "timed out after " + format_seconds(double(req_.timeout->count()) / 1000);
      } else {
        r = transfer_once(settings, part_, hasher_, meter_, fetched_);
        continued_ = continued_ || r.continued;
      }

      if (r.outcome == Outcome::complete) {
        Checksum actual = hasher_.finish();
        if (req_.expected && actual != *req_.expected) {
          if (from_earlier_run_ && continued_ && !restarted) {
            // The .part an earlier run left may hold another file's bytes (the
            // URL now serves a new build): one fresh download before failing.
            meter_.note(req_.url + " does not match " + req_.expected->to_string() +
                        " after resuming; downloading it again from the start");
            if (Status s = part_.truncate(); !s) return fail(s.error());
            restarted = true;
            from_earlier_run_ = false;
            continued_ = false;
            continue;
          }
          return fail("download of " + req_.url + " failed: checksum mismatch: expected " + req_.expected->to_string() +
                      ", got " + actual.to_string() + ": " +
                      (req_.hint.empty() ? "the server sent a different file; try again, or report it to the mirror"
                                         : req_.hint));
        }
        return commit(actual);
      }
      if (r.outcome == Outcome::interrupted)
        return keep("download of " + req_.url + " was interrupted: run the command again to resume it");
      if (r.outcome == Outcome::permanent) return fail(failure_line(req_, attempts_, r, stall_));
      if (attempts_ >= req_.retry.max_attempts || r.kind == FailureKind::timeout)
        return keep(failure_line(req_, attempts_, r, stall_));

      milliseconds delay = backoff_before(attempts_ + 1, req_.retry);
      if (deadline) delay = std::min(delay, std::chrono::duration_cast<milliseconds>(*deadline - Clock::now()));
      meter_.note("download of " + req_.url + ": " + r.reason + "; retrying in " +
                  format_seconds(double(delay.count()) / 1000) + " (attempt " + std::to_string(attempts_ + 1) + " of " +
                  std::to_string(req_.retry.max_attempts) + ")");
      if (!sleep_unless_interrupted(delay))
        return keep("download of " + req_.url + " was interrupted: run the command again to resume it");
    }
  }

 private:
  // A .part from an earlier run is continued only when a checksum will catch
  // a splice of two different files; its bytes are hashed now, once.
  Status take_over_part() {
    if (!req_.expected) return part_.truncate();
    if (Status s = hash_file_prefix(part_.path(), part_.size(), hasher_.drained()); !s) return s;
    from_earlier_run_ = true;
    return ok_status();
  }

  Expected<DownloadResult> commit(const Checksum& actual) {
    if (Status s = part_.commit(); !s) return fail("download of " + req_.url + " failed: " + s.error());
    meter_.finish(part_.size(), fetched_);
    DownloadResult out;
    out.path = target_.path;
    out.size = part_.size();
    out.checksum = actual;
    out.attempts = attempts_;
    out.resumed = continued_;
    return out;
  }

  // A permanent failure: nothing of this download stays, in the cache or not.
  Error fail(std::string line) {
    part_.discard();
    if (!target_.entry_dir.empty()) remove_empty_entry(target_.entry_dir);
    return make_error(std::move(line));
  }

  // A transient failure: the .part stays for the next run to resume, unless empty.
  Error keep(std::string line) {
    if (part_.size() == 0) return fail(std::move(line));
    return make_error(std::move(line));
  }

  const DownloadRequest& req_;
  const Target& target_;
  PartFile& part_;
  std::chrono::seconds stall_;
  BackgroundHasher hasher_;
  ProgressMeter meter_;
  std::uint64_t fetched_ = 0;
  int attempts_ = 0;
  bool from_earlier_run_ = false;  // the .part was left by another run
  bool continued_ = false;         // some attempt resumed with Range (206)
};

}  // namespace

Expected<std::chrono::seconds> stall_timeout_from_env() {
  const char* v = std::getenv("RTX_HTTP_STALL_TIMEOUT");
  if (!v || !*v) return kDefaultStall;
  char* end = nullptr;
  long n = std::strtol(v, &end, 10);
  if (*end != '\0' || n <= 0 || n > 86400)
    return make_error(std::string("RTX_HTTP_STALL_TIMEOUT='") + v +
                      "' is not a number of seconds: set it to a whole number from 1 to 86400 (default 30)");
  return std::chrono::seconds(n);
}

Expected<DownloadResult> download(const DownloadRequest& req) {
  std::chrono::seconds stall = kDefaultStall;
  if (req.stall_timeout) {
    stall = *req.stall_timeout;
  } else {
    auto from_env = stall_timeout_from_env();
    if (!from_env) return Error{from_env.error()};
    stall = *from_env;
  }

  bool cached = req.expected && !req.cache_dir.empty();
  if (!cached && req.dest.empty())
    throw std::invalid_argument("net::download(" + req.url + "): set dest, or cache_dir and expected");
  Target target;
  if (cached) {
    target.entry_dir = cache_entry_dir(req.cache_dir, *req.expected);
    target.name = req.filename.empty() ? filename_from_url(req.url) : req.filename;
    target.path = target.entry_dir + "/" + target.name;
    // Without the lock: a hit is safe to use (the final name only ever gets a
    // complete, verified file, by rename), but a mismatch is left for the
    // check under the lock to delete.
    auto hit = verify_cached(target.path, *req.expected, false);
    if (!hit) return Error{hit.error()};
    if (*hit) {
      util::log_debug(req.url + ": already in the download cache as " + target.path);
      return cache_hit(target.path, *req.expected);
    }
  } else {
    target.path = req.dest;
    target.name = req.dest.substr(req.dest.rfind('/') + 1);
  }
  // Offline (offline.hpp): a cache hit above still served; from here on only
  // file:// may go ahead, and nothing is created on the way out.
  if (needs_network(req.url)) {
    auto offline = offline_mode();
    if (!offline) return Error{offline.error()};
    if (*offline)
      return make_error(
          offline_reason() + ": " + req.url +
          (cached ? " is not in the download cache (" + target.entry_dir + ")" : " would have to be fetched") +
          ": run the command once with the network (without RTX_OFFLINE or --offline), or serve a "
          "copy from a file:// mirror, then retry");
  }

  if (Status s = util::make_dirs(util::parent_dir(target.path)); !s) return Error{s.error()};
  auto part = PartFile::open_locked(target.path, req.progress_fd);
  if (!part) {
    if (cached) remove_empty_entry(target.entry_dir);
    return Error{"download of " + req.url + " failed: " + part.error()};
  }
  if (cached) {
    // Another rtx may have finished this very file while we waited for its lock.
    auto hit = verify_cached(target.path, *req.expected);
    if (!hit || *hit) {
      part->discard();  // ours is empty: only the finished file stays
      remove_empty_entry(target.entry_dir);
      if (!hit) return Error{hit.error()};
      return cache_hit(target.path, *req.expected);
    }
  }
  return Fetch(req, target, *part, stall).run();
}

}  // namespace rtx::net
