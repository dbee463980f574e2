// <entry>.meta: bin dirs, exec-env variables and PATH additions of a build.
#include <gtest/gtest.h>

#include "fake_store.hpp"
#include "resolver/build_meta.hpp"

namespace rtx::resolver {
namespace {

using Strings = std::vector<std::string>;
using Env = std::vector<std::pair<std::string, std::string>>;

TEST(BuildMeta, SerializeParseRoundTrip) {
  BuildMeta meta;
  meta.bin_dirs = {"bin", "libexec/bin"};
  meta.env = {{"JAVA_HOME", "/data/store/java/21-b1"}, {"OPTS", "-Xmx=1g a=b"}, {"EMPTY", ""}};
  meta.path_prepend = {"/data/store/java/21-b1/jre/bin"};
  meta.aliases = {"lts", "lts-iron"};
  std::string text = meta.serialize().value();
  BuildMeta back = parse_build_meta(text);
  EXPECT_EQ(back.bin_dirs, meta.bin_dirs);
  EXPECT_EQ(back.env, meta.env);
  EXPECT_EQ(back.path_prepend, meta.path_prepend);
  EXPECT_EQ(back.aliases, meta.aliases);
  EXPECT_EQ(back.serialize().value(), text);
}

// An index.json whose lts name carries "\nenv LD_PRELOAD=…" must not add lines
// that the shim would obey (issue 8 item 3).
TEST(BuildMeta, SerializeRefusesControlCharacters) {
  auto refused = [](BuildMeta m) { return !m.serialize().ok(); };
  BuildMeta alias;
  alias.aliases = {"Iron\nenv LD_PRELOAD=/tmp/evil.so\npath /tmp/evil/bin"};
  EXPECT_TRUE(refused(alias));
  BuildMeta value;
  value.env = {{"OK", "a\rb"}};
  EXPECT_TRUE(refused(value));
  BuildMeta key;
  key.env = {{"A\x1b[31m", "x"}};
  EXPECT_TRUE(refused(key));
  BuildMeta bin;
  bin.bin_dirs = {"bin\n"};
  EXPECT_TRUE(refused(bin));
  BuildMeta path;
  path.path_prepend = {"/x\x7f"};
  EXPECT_TRUE(refused(path));
  BuildMeta fine;
  fine.aliases = {"lts-iron"};
  fine.env = {{"PATHS", "a b=c é"}};
  EXPECT_TRUE(fine.serialize().ok());
  std::string message = alias.serialize().error();
  EXPECT_EQ(message.find('\n'), std::string::npos) << message;
}

TEST(BuildMeta, ParseIgnoresUnknownAndMalformedLines) {
  BuildMeta m = parse_build_meta(
      "# comment\n"
      "bin bin\n"
      "colour red\n"
      "env NOEQUALS\n"
      "env =novalue\n"
      "env K=V=W\n"
      "binary x\n"
      "\n"
      "path /opt/x");
  EXPECT_EQ(m.bin_dirs, Strings{"bin"});
  EXPECT_EQ(m.env, (Env{{"K", "V=W"}}));
  EXPECT_EQ(m.path_prepend, Strings{"/opt/x"});
}

TEST(BuildMeta, LoadDefaultsToBin) {
  test::FakeStore store;
  std::string e = store.add_build("node", "20.0.0", "b1", "READY");
  EXPECT_EQ(load_build_meta(e).bin_dirs, Strings{"bin"});  // no .meta at all

  test::write_file(meta_path(e), "env NODE_ENV=production\n");
  BuildMeta m = load_build_meta(e);
  EXPECT_EQ(m.bin_dirs, Strings{"bin"});  // a .meta without bin lines
  EXPECT_EQ(m.env, (Env{{"NODE_ENV", "production"}}));

  test::write_file(meta_path(e), "bin sbin\n");
  EXPECT_EQ(load_build_meta(e).bin_dirs, Strings{"sbin"});
}

TEST(BuildMeta, FindCommandInTheFirstBinDirHoldingAnExecutable) {
  test::FakeStore store;
  std::string e = store.add_build("java", "21", "b1", "READY");
  test::write_file(e + "/bin/java", "not executable", 0644);
  test::write_file(e + "/jre/bin/java", "#!/bin/sh\n", 0755);
  test::write_file(e + "/bin/javac", "#!/bin/sh\n", 0755);
  BuildMeta meta;
  meta.bin_dirs = {"bin", "jre/bin"};
  EXPECT_EQ(find_command(e, meta, "java"), e + "/jre/bin/java");
  EXPECT_EQ(find_command(e, meta, "javac"), e + "/bin/javac");
  EXPECT_EQ(find_command(e, meta, "jshell"), "");
  meta.bin_dirs = {"jre/bin", "bin"};
  EXPECT_EQ(find_command(e, meta, "javac"), e + "/bin/javac");
}

}  // namespace
}  // namespace rtx::resolver
