// Signatures, not only checksums (issue 10 item 2), end to end against fixture
// servers on 127.0.0.1: node's SHASUMS256.txt signed with a GnuPG key made
// here and checked by the real gpgv; npm versions signed with a P-256 key
// made here (openssl) and checked against the fixture registry's
// /-/npm/v1/keys. The World turns signatures off by default (harness.cpp):
// every test here sets the policy it tests ("" is the default, prefer).
#include <gtest/gtest.h>
#include <stdlib.h>

#include <fstream>
#include <optional>
#include <tuple>

#include "clean_failure.hpp"
#include "npm_registry_fixture.hpp"
#include "tests/support/gpg_key.hpp"

namespace rtx::e2e {
namespace {

int signature_occurrences(const std::string& text, const std::string& part) {
  int n = 0;
  for (auto at = text.find(part); at != std::string::npos; at = text.find(part, at + 1)) ++n;
  return n;
}

// A node mirror whose SHASUMS256.txt files are signed by a key made here,
// which RTX_NODE_KEYRING names (armored, as node publishes its keys).
class NodeSignatures : public NodeWorld {
 protected:
  void SetUp() override {
    if (!test::TestGpgKey::available()) GTEST_SKIP() << "gpg (Debian package gnupg) is not installed";
    key.emplace(world.root() + "/gnupg");
    std::ofstream(world.root() + "/node-keys.asc") << key->public_key(true);
    world.set_env("RTX_NODE_KEYRING", world.root() + "/node-keys.asc");
  }
  void policy(const std::string& value) { world.set_env("RTX_NODE_SIGNATURES", value); }

  // Adds `version` with a SHASUMS256.txt of our own making; returns its text.
  std::string add(const std::string& version) {
    const Artifact& a = node.add(version, "Iron");
    std::string text = "0000000000000000000000000000000000000000000000000000000000000000  node-v" + version +
                       ".tar.gz\n" + a.sha256 + "  " + a.name + "\n";
    server.add_file(node.shasums_path(version), text);
    return text;
  }
  // Serves SHASUMS256.txt.sig (detached) or .asc (clear-signed) over `text`.
  void sign(const std::string& version, const std::string& text, const char* kind = ".sig") {
    std::string file = world.root() + "/sums-" + version;
    std::ofstream(file) << text;
    if (std::string(kind) == ".asc")
      key->clear_sign(file, file + kind);
    else
      key->sign_detached(file, file + kind);
    server.add_file(node.shasums_path(version) + kind, world.read(file + kind));
  }
  void add_signed(const std::string& version) { sign(version, add(version)); }
  int tarball_requests(const std::string& version) const { return server.request_count(node.tarball_path(version)); }
  // Nothing of 20.11.1 in the store, no build left half-made.
  void expect_nothing_installed() {
    expect_store_clean("node");
    for (const auto& name : world.store_names("node")) EXPECT_EQ(name.rfind("20.11.1", 0), std::string::npos) << name;
  }

  std::optional<test::TestGpgKey> key;
};

TEST_F(NodeSignatures, SignedChecksumsInstallUnderRequire) {
  policy("require");
  add_signed("20.11.1");
  Output o = rtx({"install", "node@20.11.1"});
  ASSERT_EQ(o.status, 0) << o.err;
  EXPECT_EQ(server.request_count(node.shasums_path("20.11.1") + ".sig"), 1);
  expect_node_prints("20.11.1", world.make_project("p", ".tool-versions", "node 20.11.1\n"));
}

TEST_F(NodeSignatures, TamperedChecksumsAreOneLineAndNothingIsInstalled) {
  policy("");  // the default refuses a bad signature too
  add_signed("20.11.1");
  // The mirror swaps the tarball and the checksum that names it.
  Artifact evil = make_tool_tarball(NodeMirror::artifact_name("20.11.1"), "node-v20.11.1-linux-" + NodeMirror::arch(),
                                    "node", "evil", "J");
  server.add_file(node.tarball_path("20.11.1"), evil.bytes);
  server.add_file(node.shasums_path("20.11.1"), evil.sha256 + "  " + evil.name + "\n");
  Output o = rtx({"install", "node@20.11.1"});
  EXPECT_NE(o.status, 0);
  auto errors = error_lines(o);
  ASSERT_EQ(errors.size(), 1u) << o.err;
  EXPECT_NE(errors[0].find("SHASUMS256.txt for node 20.11.1 from " + node.url()), std::string::npos) << o.err;
  EXPECT_NE(errors[0].find("bad signature by key " + key->fingerprint()), std::string::npos) << o.err;
  EXPECT_NE(errors[0].find("check RTX_NODE_MIRROR"), std::string::npos) << o.err;
  EXPECT_EQ(tarball_requests("20.11.1"), 0);  // refused before any byte of it
  expect_nothing_installed();
}

TEST_F(NodeSignatures, MissingSignatureIsRefusedUnderRequire) {
  policy("require");
  add("20.11.1");
  Output o = rtx({"install", "node@20.11.1"});
  EXPECT_NE(o.status, 0);
  auto errors = error_lines(o);
  ASSERT_EQ(errors.size(), 1u) << o.err;
  EXPECT_NE(errors[0].find("not signed (no SHASUMS256.txt.sig or .asc beside it)"), std::string::npos) << o.err;
  EXPECT_NE(errors[0].find("RTX_NODE_SIGNATURES"), std::string::npos) << o.err;
  EXPECT_EQ(server.request_count(node.shasums_path("20.11.1") + ".asc"), 1);  // both were looked for
  EXPECT_EQ(tarball_requests("20.11.1"), 0);
  expect_nothing_installed();
}

TEST_F(NodeSignatures, MissingSignatureIsANoticeUnderPreferAndTheInstallGoesOn) {
  policy("");
  add("20.11.1");
  Output o = rtx({"install", "node@20.11.1"});
  ASSERT_EQ(o.status, 0) << o.err;
  EXPECT_EQ(signature_occurrences(o.err, "not signed (no SHASUMS256.txt.sig or .asc beside it)"), 1) << o.err;
  EXPECT_NE(o.err.find("installing on its checksum alone"), std::string::npos) << o.err;
  expect_node_prints("20.11.1", world.make_project("p", ".tool-versions", "node 20.11.1\n"));
}

TEST_F(NodeSignatures, SkipFetchesNoSignature) {
  policy("skip");
  add("20.11.1");
  ASSERT_EQ(rtx({"install", "node@20.11.1"}).status, 0);
  EXPECT_EQ(server.request_count(node.shasums_path("20.11.1") + ".sig"), 0);
}

TEST_F(NodeSignatures, ClearSignedAscIsUsedAndItsSignedTextDecides) {
  policy("require");
  std::string signed_text = add("20.11.1");
  sign("20.11.1", signed_text, ".asc");
  // The separate SHASUMS256.txt is wrong: only the signed copy may be believed.
  server.add_file(node.shasums_path("20.11.1"),
                  std::string(64, 'f') + "  " + NodeMirror::artifact_name("20.11.1") + "\n");
  Output o = rtx({"install", "node@20.11.1"});
  ASSERT_EQ(o.status, 0) << o.err;
  expect_node_prints("20.11.1", world.make_project("p", ".tool-versions", "node 20.11.1\n"));
}

TEST_F(NodeSignatures, ASignerOutsideTheShippedKeyringIsRefused) {
  // No RTX_NODE_KEYRING: the keys shipped with rtx, found beside the binary,
  // and none of them made this signature.
  world.unset_env("RTX_NODE_KEYRING");
  policy("require");
  add_signed("20.11.1");
  Output o = rtx({"install", "node@20.11.1"});
  EXPECT_NE(o.status, 0);
  auto errors = error_lines(o);
  ASSERT_EQ(errors.size(), 1u) << o.err;
  EXPECT_NE(errors[0].find("signed by key " + key->fingerprint()), std::string::npos) << o.err;
  EXPECT_NE(errors[0].find("which is not in the keyring"), std::string::npos) << o.err;
  expect_nothing_installed();
}

TEST_F(NodeSignatures, AnInstalledRtxFindsTheShippedKeysBesideItself) {
  std::string prefix = world.root() + "/prefix";
  Output installed = world.sh("cmake --install '" RTX_BUILD_DIR "' --prefix '" + prefix + "' >/dev/null");
  ASSERT_EQ(installed.status, 0) << installed.err;
  world.unset_env("RTX_NODE_KEYRING");
  policy("require");
  add_signed("20.11.1");
  Output o = world.sh("'" + prefix + "/bin/rtx' install node@20.11.1");
  EXPECT_NE(o.status, 0);
  // gpgv read the installed keyring (a missing one would say "are not at").
  EXPECT_NE(o.err.find("which is not in the keyring"), std::string::npos) << o.err;
  EXPECT_NE(o.err.find(world.root() + "/cache/keys/node-"), std::string::npos) << o.err;
}

TEST_F(NodeSignatures, ConfigTomlSettingRequiresSignatures) {
  policy("");  // unset: config.toml decides
  std::filesystem::create_directories(world.config());
  std::ofstream(world.config() + "/config.toml") << "[settings]\nnode_signatures = \"require\"\n";
  add("20.11.1");
  Output o = rtx({"install", "node@20.11.1"});
  EXPECT_NE(o.status, 0);
  EXPECT_NE(o.err.find("not signed"), std::string::npos) << o.err;
}

// A plain http:// mirror that is not on this machine: the fixture server
// stands in for it as an HTTP proxy (it serves absolute-form requests by path).
class NodeOverPlainHttp : public NodeSignatures {
 protected:
  void SetUp() override {
    NodeSignatures::SetUp();
    if (IsSkipped()) return;
    for (const char* v : {"http_proxy", "HTTP_PROXY", "no_proxy", "NO_PROXY", "all_proxy", "ALL_PROXY"})
      if (const char* set = std::getenv(v); set && *set) GTEST_SKIP() << v << " is set in the test's environment";
    world.set_env("RTX_NODE_MIRROR", "http://mirror.example" + node.url().substr(server.base_url().size()));
    world.set_env("http_proxy", server.base_url());
  }
};

TEST_F(NodeOverPlainHttp, SignedChecksumsLetAPlainHttpMirrorServeTheTarball) {
  policy("require");
  add_signed("20.11.1");
  Output o = rtx({"install", "node@20.11.1"});
  ASSERT_EQ(o.status, 0) << o.err;
  EXPECT_EQ(tarball_requests("20.11.1"), 1);
  EXPECT_EQ(server.last_request(node.tarball_path("20.11.1"))->target,
            "http://mirror.example" + node.tarball_path("20.11.1"));
}

TEST_F(NodeOverPlainHttp, UnsignedChecksumsFromAPlainHttpMirrorAreRefused) {
  policy("");
  add("20.11.1");
  Output o = rtx({"install", "node@20.11.1"});
  EXPECT_NE(o.status, 0);
  EXPECT_NE(o.err.find("refusing http://mirror.example"), std::string::npos) << o.err;
  EXPECT_EQ(tarball_requests("20.11.1"), 0);
  expect_nothing_installed();
}

// The failure lines of an npm install: error_lines() without the "installing
// npm:… with npm registry …" note it does not know.
std::vector<std::string> npm_error_lines(const Output& o) {
  std::vector<std::string> out;
  for (const auto& line : error_lines(o))
    if (line.rfind("rtx: installing npm:", 0) != 0 || line.find(" with npm registry ") == std::string::npos)
      out.push_back(line);
  return out;
}

// An npm registry that signs its versions with a P-256 key made here.
class NpmSignatures : public Npm {
 protected:
  void SetUp() override {
    Npm::SetUp();
    Output k = world.sh(
        "openssl ecparam -name prime256v1 -genkey -noout -out registry.pem 2>/dev/null && "
        "openssl ec -in registry.pem -pubout -outform DER 2>/dev/null | base64 -w0");
    ASSERT_EQ(k.status, 0) << k.err;
    public_key = k.out;
  }
  void policy(const std::string& value) { world.set_env("RTX_NPM_SIGNATURES", value); }
  void serve_keys(const std::string& keyid = "SHA256:rtx-test", const std::string& expires = "null") {
    server.add_file("/registry/-/npm/v1/keys",
                    R"({"keys":[{"expires":)" + expires + R"(,"keyid":")" + keyid +
                        R"(","keytype":"ecdsa-sha2-nistp256","scheme":"ecdsa-sha2-nistp256","key":")" + public_key +
                        R"("}]})",
                    "application/json");
  }
  // "\"signatures\":[…]" over "<name>@<version>:<integrity>", as the registry signs.
  std::string signatures(const std::string& message, const std::string& keyid = "SHA256:rtx-test") {
    std::ofstream(world.root() + "/message") << message;
    Output s = world.sh("openssl dgst -sha256 -sign registry.pem message | base64 -w0");
    EXPECT_EQ(s.status, 0) << s.err;
    return R"("signatures":[{"keyid":")" + keyid + R"(","sig":")" + s.out + R"("}])";
  }
  // greeter 1.2.0 (needing dep-a) and dep-a 1.0.0, each signed over `signed_integrity`
  // (its own, unless a test passes another), or unsigned.
  void publish_signed(bool sign = true, const std::string& keyid = "SHA256:rtx-test",
                      const std::string& signed_integrity = "") {
    std::string dep = pack(R"({"name":"dep-a","version":"1.0.0"})", "index.js");
    std::string app =
        pack(R"({"name":"greeter","version":"1.2.0","bin":{"greet":"bin/x.js"},"dependencies":{"dep-a":"^1.0.0"}})",
             "bin/x.js", "greeter 1.2.0");
    for (auto& [name, tarball, deps] :
         {std::tuple{std::string("dep-a"), dep, std::string()},
          std::tuple{std::string("greeter"), app, std::string(R"("dependencies":{"dep-a":"^1.0.0"})")}}) {
      Version v{"1.2.0", tarball};
      if (name == "dep-a") v.version = "1.0.0";
      v.extra = deps;
      std::string integrity = signed_integrity.empty() ? sri(tarball) : signed_integrity;
      if (sign) v.dist_extra = signatures(name + "@" + v.version + ":" + integrity, keyid);
      publish(name, {v}, v.version);
    }
  }
  int keys_requests() const { return server.request_count("/registry/-/npm/v1/keys"); }
  int tarball_requests() const { return server.request_count("/tarballs/greeter-1.2.0.tgz"); }

  std::string public_key;
};

TEST_F(NpmSignatures, SignedVersionsInstallUnderRequireAndKeysAreFetchedOnce) {
  policy("require");
  serve_keys();
  publish_signed();
  Output o = world.rtx({"install", "npm:greeter@1.2.0"});
  ASSERT_EQ(o.status, 0) << o.err;
  EXPECT_EQ(keys_requests(), 1);  // for greeter and its dependency
  EXPECT_EQ(server.request_count("/tarballs/dep-a-1.0.0.tgz"), 1);
  Output run = world.shim("greet", {"world"}, world.make_project("p", ".tool-versions", "npm:greeter 1.2.0\n"));
  EXPECT_EQ(run.out, "greeter 1.2.0 world\n") << run.err;
}

TEST_F(NpmSignatures, ASignatureOverAnotherIntegrityIsRefusedEvenUnderPrefer) {
  policy("");
  serve_keys();
  publish_signed(true, "SHA256:rtx-test", "sha512-" + std::string(86, 'A') + "==");
  Output o = world.rtx({"install", "npm:greeter@1.2.0"});
  EXPECT_NE(o.status, 0);
  auto errors = npm_error_lines(o);
  ASSERT_EQ(errors.size(), 1u) << o.err;
  EXPECT_NE(errors[0].find("npm:greeter 1.2.0 from the npm registry " + server.url("/registry")), std::string::npos)
      << o.err;
  EXPECT_NE(errors[0].find("bad signature by key SHA256:rtx-test"), std::string::npos) << o.err;
  EXPECT_EQ(tarball_requests(), 0);
  EXPECT_TRUE(builds("npm:greeter").empty());
}

TEST_F(NpmSignatures, AKeyTheRegistryDoesNotPublishIsRefused) {
  policy("");
  serve_keys();
  publish_signed(true, "SHA256:someone-else");
  Output o = world.rtx({"install", "npm:greeter@1.2.0"});
  EXPECT_NE(o.status, 0);
  EXPECT_NE(o.err.find("SHA256:someone-else, which the registry does not publish"), std::string::npos) << o.err;
  EXPECT_EQ(tarball_requests(), 0);
}

TEST_F(NpmSignatures, AnExpiredKeyDoesNotCount) {
  policy("require");
  serve_keys("SHA256:rtx-test", "\"2020-01-01T00:00:00.000Z\"");
  publish_signed();
  Output o = world.rtx({"install", "npm:greeter@1.2.0"});
  EXPECT_NE(o.status, 0);
  EXPECT_NE(o.err.find("which expired on 2020-01-01"), std::string::npos) << o.err;
}

TEST_F(NpmSignatures, ARegistryWithoutSignaturesIsOneNoticeUnderPrefer) {
  policy("");
  publish_signed(false);  // and no /-/npm/v1/keys: 404
  Output o = world.rtx({"install", "npm:greeter@1.2.0"});
  ASSERT_EQ(o.status, 0) << o.err;
  EXPECT_EQ(signature_occurrences(o.err, "publishes no signing keys"), 1) << o.err;  // once for greeter and dep-a
  EXPECT_EQ(keys_requests(), 1);
}

TEST_F(NpmSignatures, ARegistryWithoutSignaturesIsRefusedUnderRequire) {
  policy("require");
  publish_signed(false);
  Output o = world.rtx({"install", "npm:greeter@1.2.0"});
  EXPECT_NE(o.status, 0);
  auto errors = npm_error_lines(o);
  ASSERT_EQ(errors.size(), 1u) << o.err;
  EXPECT_NE(errors[0].find("publishes no signing keys (" + server.url("/registry/-/npm/v1/keys") +
                           " answers HTTP 404 Not Found)"),
            std::string::npos)
      << o.err;
  EXPECT_NE(errors[0].find("RTX_NPM_SIGNATURES"), std::string::npos) << o.err;
  EXPECT_EQ(tarball_requests(), 0);
  EXPECT_TRUE(builds("npm:greeter").empty());
}

TEST_F(NpmSignatures, AnUnsignedVersionFromASigningRegistryIsANoticeUnderPrefer) {
  policy("prefer");
  serve_keys();
  publish_signed(false);
  Output o = world.rtx({"install", "npm:greeter@1.2.0"});
  ASSERT_EQ(o.status, 0) << o.err;
  EXPECT_NE(o.err.find("npm:greeter 1.2.0 from the npm registry"), std::string::npos) << o.err;
  EXPECT_NE(o.err.find("not signed (no dist.signatures)"), std::string::npos) << o.err;
}

}  // namespace
}  // namespace rtx::e2e
