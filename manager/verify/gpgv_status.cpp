#include "manager/verify/gpgv_status.hpp"

#include <algorithm>
#include <cstdint>
#include <optional>
#include <vector>

namespace rtx::verify {
namespace {

using GpgvKind = GpgvVerdict::Kind;

constexpr std::string_view kStatusPrefix = "[GNUPG:] ";

// Split at single spaces, as gpgv writes them (an empty word stays one: a
// line gpgv did not write is not read as if it had).
std::vector<std::string_view> status_words(std::string_view line) {
  std::vector<std::string_view> out;
  while (true) {
    std::size_t sp = line.find(' ');
    out.push_back(line.substr(0, sp));
    if (sp == std::string_view::npos) break;
    line.remove_prefix(sp + 1);
  }
  return out;
}

// Seconds since the epoch; status timestamps may also be ISO 8601 ("…T…"),
// which gpgv does not use by default: nullopt, so nothing is assumed.
std::optional<std::int64_t> status_time(std::string_view word) {
  if (word.empty() || word.size() > 18) return std::nullopt;
  std::int64_t v = 0;
  for (char c : word) {
    if (c < '0' || c > '9') return std::nullopt;
    v = v * 10 + (c - '0');
  }
  return v;
}

// The user id: the rest of the line after the key id, %XX-escaped by gpgv.
std::string status_user(std::string_view line, std::size_t words_before) {
  for (std::size_t i = 0; i < words_before; ++i) {
    std::size_t sp = line.find(' ');
    if (sp == std::string_view::npos) return {};
    line.remove_prefix(sp + 1);
  }
  std::string out;
  for (char c : line.substr(0, 200)) out += (static_cast<unsigned char>(c) < 0x20 || c == 0x7f) ? '?' : c;
  return out;
}

struct SignatureGroup {
  std::optional<GpgvKind> kind;  // the first decisive line of the group
  std::string keyid, fingerprint, user;
  std::string considered;  // the last KEY_CONSIDERED fingerprint: names the key of a BADSIG in full
  int errsig_rc = -1;
  std::optional<std::int64_t> signed_at, key_expired_at;
};

std::string key_text(const SignatureGroup& g) {
  if (!g.fingerprint.empty()) return g.fingerprint;
  bool same_key = !g.keyid.empty() && g.considered.size() > g.keyid.size() &&
                  g.considered.compare(g.considered.size() - g.keyid.size(), g.keyid.size(), g.keyid) == 0;
  return same_key ? g.considered : g.keyid;
}

GpgvVerdict verdict_of(const SignatureGroup& g) {
  GpgvVerdict v;
  v.key = key_text(g);
  v.user = g.user;
  std::string by = "key " + (v.key.empty() ? std::string("(unknown)") : v.key) +
                   (v.user.empty() ? std::string() : " (" + v.user + ")");
  GpgvKind kind = g.kind.value_or(GpgvKind::failed);
  if (kind == GpgvKind::expired_key && g.signed_at && g.key_expired_at && *g.signed_at < *g.key_expired_at)
    kind = GpgvKind::good;  // made while the key was valid (see the header)
  v.kind = kind;
  switch (kind) {
    case GpgvKind::good:
      v.detail = "good signature by " + by;
      break;
    case GpgvKind::bad_signature:
      v.detail = "bad signature by " + by;
      break;
    case GpgvKind::no_public_key:
      v.detail = "signed by " + by + ", which is not in the keyring";
      break;
    case GpgvKind::expired_key:
      v.detail = "signed by " + by + " after that key expired";
      break;
    case GpgvKind::expired_signature:
      v.detail = "the signature by " + by + " has expired";
      break;
    case GpgvKind::revoked_key:
      v.detail = "signed by " + by + ", which its owner has revoked";
      break;
    case GpgvKind::failed:
      v.detail = g.errsig_rc >= 0 ? "the signature by " + by + " cannot be checked (gpgv error code " +
                                        std::to_string(g.errsig_rc) + ": an unsupported algorithm?)"
                                  : "gpgv did not confirm the signature by " + by;
      break;
    case GpgvKind::not_a_signature:
    case GpgvKind::keyring_error:
      break;
  }
  return v;
}

}  // namespace

GpgvVerdict gpgv_verdict(std::string_view status, int exit_code) {
  std::vector<SignatureGroup> groups;
  bool no_data = false;
  std::string keyring_problem;
  while (!status.empty()) {
    std::size_t nl = status.find('\n');
    std::string_view line = status.substr(0, nl);
    status.remove_prefix(nl == std::string_view::npos ? status.size() : nl + 1);
    if (!line.empty() && line.back() == '\r') line.remove_suffix(1);
    if (line.substr(0, kStatusPrefix.size()) != kStatusPrefix) continue;
    line.remove_prefix(kStatusPrefix.size());
    auto w = status_words(line);
    if (w.empty()) continue;
    std::string_view keyword = w[0];
    if (keyword == "NEWSIG") {
      groups.emplace_back();
      continue;
    }
    if (keyword == "NODATA") {
      no_data = true;
      continue;
    }
    if (keyword == "ERROR") {
      // "ERROR add_keyblock_resource <code>": the keyring could not be opened.
      if (w.size() > 1 && w[1] == "add_keyblock_resource") keyring_problem = "gpgv cannot read the keyring";
      continue;
    }
    static constexpr std::pair<std::string_view, GpgvKind> kDecisive[] = {
        {"GOODSIG", GpgvKind::good},          {"BADSIG", GpgvKind::bad_signature},
        {"EXPKEYSIG", GpgvKind::expired_key}, {"EXPSIG", GpgvKind::expired_signature},
        {"REVKEYSIG", GpgvKind::revoked_key}, {"ERRSIG", GpgvKind::failed},
    };
    auto decisive =
        std::find_if(std::begin(kDecisive), std::end(kDecisive), [&](const auto& d) { return d.first == keyword; });
    bool known = decisive != std::end(kDecisive) || keyword == "VALIDSIG" || keyword == "KEYEXPIRED" ||
                 keyword == "NO_PUBKEY" || keyword == "KEY_CONSIDERED";
    if (!known) continue;
    if (groups.empty()) groups.emplace_back();  // a status stream without NEWSIG (older GnuPG)
    SignatureGroup& g = groups.back();
    if (decisive != std::end(kDecisive)) {
      GpgvKind kind = decisive->second;
      if (keyword == "ERRSIG" && w.size() > 6 && w[6] == "9") kind = GpgvKind::no_public_key;
      // A second decisive line in one group can only make it worse: good <
      // expired key (good only if made in time) < any failure (the first kept).
      auto severity = [](GpgvKind k) { return k == GpgvKind::good ? 0 : k == GpgvKind::expired_key ? 1 : 2; };
      if (!g.kind || severity(kind) > severity(*g.kind)) g.kind = kind;
      if (w.size() > 1 && g.keyid.empty()) g.keyid = std::string(w[1]);
      if (keyword == "ERRSIG") {
        if (auto rc = w.size() > 6 ? status_time(w[6]) : std::nullopt; rc && *rc < 1000) g.errsig_rc = int(*rc);
        if (w.size() > 7 && g.fingerprint.empty() && w[7] != "-") g.fingerprint = std::string(w[7]);
      } else if (g.user.empty()) {
        g.user = status_user(line, 2);
      }
    } else if (keyword == "VALIDSIG") {
      // VALIDSIG <fpr> <date> <sig-timestamp> … [<primary-key-fpr>]
      if (w.size() > 1) g.fingerprint = std::string(w.size() > 10 ? w[10] : w[1]);
      if (w.size() > 3) g.signed_at = status_time(w[3]);
    } else if (keyword == "KEYEXPIRED") {
      // Several when a primary key and its subkey both expired: the earliest rules.
      if (auto t = w.size() > 1 ? status_time(w[1]) : std::nullopt)
        g.key_expired_at = g.key_expired_at ? std::min(*g.key_expired_at, *t) : *t;
    } else if (keyword == "KEY_CONSIDERED") {
      if (w.size() > 1) g.considered = std::string(w[1]);
    } else if (keyword == "NO_PUBKEY" && !g.kind) {
      g.kind = GpgvKind::no_public_key;
      if (w.size() > 1) g.keyid = std::string(w[1]);
    }
  }

  GpgvVerdict v;
  if (!keyring_problem.empty()) {
    v.kind = GpgvKind::keyring_error;
    v.detail = keyring_problem;
    return v;
  }
  if (groups.empty()) {
    v.kind = GpgvKind::not_a_signature;
    v.detail = no_data ? "it holds no OpenPGP signature" : "gpgv found no signature in it";
    return v;
  }
  for (const auto& g : groups) {
    GpgvVerdict one = verdict_of(g);
    if (one.kind != GpgvKind::good) return one;
    if (&g == &groups.front()) v = one;
  }
  // Every group good: gpgv must agree (exit 0) or the verdict is not trusted.
  if (exit_code != 0) {
    v.kind = GpgvKind::failed;
    v.detail = "gpgv exited with status " + std::to_string(exit_code) + " although it reported " + v.detail;
  }
  return v;
}

}  // namespace rtx::verify
