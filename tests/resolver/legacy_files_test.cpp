// asdf legacy version files (DESIGN.md §4, resolver/legacy_files.hpp): the
// record of plugins' file names and the cache of parse-legacy-file answers,
// as parsed and written; and the walk that reads them without running a
// plugin script.
#include "resolver/legacy_files.hpp"

#include <gtest/gtest.h>

#include "fs_helpers.hpp"
#include "resolver/request.hpp"
#include "tests/support/scoped_env.hpp"
#include "tests/support/temp_dir.hpp"

namespace rtx::resolver {
namespace {

using V = std::vector<std::string>;

TEST(LegacyNames, PlainNamesOnly) {
  EXPECT_EQ(legacy_name_problem(".ruby-version"), "");
  EXPECT_EQ(legacy_name_problem("Gemfile"), "");
  EXPECT_NE(legacy_name_problem(""), "");
  EXPECT_NE(legacy_name_problem("."), "");
  EXPECT_NE(legacy_name_problem(".."), "");
  EXPECT_NE(legacy_name_problem("../x"), "");
  EXPECT_NE(legacy_name_problem("a/b"), "");
  EXPECT_NE(legacy_name_problem("a b"), "");
  EXPECT_NE(legacy_name_problem("a\nb"), "");
  EXPECT_NE(legacy_name_problem("a\x1b[31m"), "");
  EXPECT_NE(legacy_name_problem("a\x7f"), "");
  EXPECT_NE(legacy_name_problem(std::string(256, 'a')), "");
  EXPECT_EQ(legacy_name_problem(std::string(255, 'a')), "");
  EXPECT_NE(legacy_name_problem(".tool-versions"), "");  // rtx's own
  EXPECT_NE(legacy_name_problem("rtx.toml"), "");
}

TEST(LegacyNames, RecordRoundTripsAndSkipsBadLines) {
  std::vector<LegacyPlugin> plugins{{"ruby", {".ruby-version", "Gemfile"}}, {"empty", {}}};
  std::string text = format_legacy_filenames(plugins);
  auto back = parse_legacy_filenames(text);
  ASSERT_EQ(back.size(), 2u);
  EXPECT_EQ(back[0].tool, "ruby");
  EXPECT_EQ(back[0].names, (V{".ruby-version", "Gemfile"}));
  EXPECT_EQ(back[1].tool, "empty");
  EXPECT_EQ(back[1].names, V{});

  // A line breaking a rule is dropped whole; the first line of a tool wins.
  back = parse_legacy_filenames(
      "# comment\n"
      "bad ../x .ok\n"
      "../tool .x\n"
      "npm:pkg .x\n"
      "ctl .a\x01\n"
      "ruby .ruby-version\n"
      "ruby .other\n"
      "py  .python-version   \n"
      "nl .node-version");
  ASSERT_EQ(back.size(), 3u);
  EXPECT_EQ(back[0].tool, "ruby");
  EXPECT_EQ(back[0].names, V{".ruby-version"});
  EXPECT_EQ(back[1].tool, "py");
  EXPECT_EQ(back[1].names, V{".python-version"});
  EXPECT_EQ(back[2].names, V{".node-version"});
}

LegacyAnswer answer(std::string path, std::string version) {
  return LegacyAnswer{"ruby", std::move(path), FileIdentity{1, 2, 3, 4'000'000'005, 6'000'000'007}, std::move(version)};
}

TEST(LegacyAnswers, RoundTripWithSpacesInThePath) {
  LegacyAnswer a = answer("/home/u/my project/.ruby-version", "3.3.0");
  std::string line = format_legacy_answer(a);
  EXPECT_EQ(line, "ruby 1 2 3 4000000005 6000000007 3.3.0 /home/u/my project/.ruby-version");
  auto back = parse_legacy_answers(line + "\n");
  ASSERT_EQ(back.size(), 1u);
  EXPECT_EQ(back[0].path, a.path);
  EXPECT_EQ(back[0].version, "3.3.0");
  EXPECT_TRUE(back[0].identity == a.identity);
  EXPECT_NE(find_legacy_answer(back, a), nullptr);
}

TEST(LegacyAnswers, AnyChangeOfIdentityMisses) {
  std::vector<LegacyAnswer> cache{answer("/p/.ruby-version", "3.3.0")};
  LegacyAnswer key = answer("/p/.ruby-version", "");
  EXPECT_NE(find_legacy_answer(cache, key), nullptr);
  for (int field = 0; field < 5; ++field) {
    LegacyAnswer k = key;
    unsigned long long* u[] = {&k.identity.dev, &k.identity.ino, &k.identity.size};
    if (field < 3)
      ++*u[field];
    else if (field == 3)
      ++k.identity.mtime_ns;
    else
      ++k.identity.ctime_ns;
    EXPECT_EQ(find_legacy_answer(cache, k), nullptr) << field;
  }
  LegacyAnswer other_tool = key;
  other_tool.tool = "python";
  EXPECT_EQ(find_legacy_answer(cache, other_tool), nullptr);
  LegacyAnswer other_path = key;
  other_path.path = "/q/.ruby-version";
  EXPECT_EQ(find_legacy_answer(cache, other_path), nullptr);
  // The newest line for a key wins.
  cache.push_back(answer("/p/.ruby-version", "3.4.0"));
  EXPECT_EQ(find_legacy_answer(cache, key)->version, "3.4.0");
}

TEST(LegacyAnswers, UnwritableAnswersAndBadLinesAreRefused) {
  EXPECT_EQ(format_legacy_answer(answer("/p/a\nb", "1.0")), "");
  EXPECT_EQ(format_legacy_answer(answer("relative/.ruby-version", "1.0")), "");
  EXPECT_EQ(format_legacy_answer(answer("/p/x", "1 2")), "");
  EXPECT_EQ(format_legacy_answer(answer("/p/x", "../1")), "");
  EXPECT_EQ(format_legacy_answer(answer("/p/x", "")), "");
  LegacyAnswer bad_tool = answer("/p/x", "1.0");
  bad_tool.tool = "../ruby";
  EXPECT_EQ(format_legacy_answer(bad_tool), "");

  auto parsed = parse_legacy_answers(
      "ruby 1 2 3 4 5 1.0 relative\n"
      "ruby 1 2 3 4 1.0 /missing-a-number\n"
      "ruby 1 2 x 4 5 1.0 /p\n"
      "ruby 1 2 3 4 5 a/b /p\n"
      "ruby 1 2 3 4 5 1.0\n"
      "ruby 1 2 3 4 5 1.0 /p/\x1b\n"
      "ruby -1 2 3 4 5 1.0 /p\n"
      "ruby 1 2 3 4 5 2.0 /good\n");
  ASSERT_EQ(parsed.size(), 1u);
  EXPECT_EQ(parsed[0].path, "/good");
}

TEST(LegacyOutput, OneVersionOrOneError) {
  EXPECT_EQ(legacy_output_version("3.3.0\n").value(), "3.3.0");
  EXPECT_EQ(legacy_output_version("  \n 3.3.0 \r\n\n").value(), "3.3.0");
  EXPECT_FALSE(legacy_output_version("").ok());
  EXPECT_FALSE(legacy_output_version(" \n").ok());
  auto two = legacy_output_version("3.3.0\n3.2.0\n");
  ASSERT_FALSE(two.ok());
  EXPECT_NE(two.error().find("not one version"), std::string::npos) << two.error();
  auto garbage = legacy_output_version("Error: \x1b[31mno\n");
  ASSERT_FALSE(garbage.ok());
  EXPECT_EQ(garbage.error().find('\x1b'), std::string::npos) << garbage.error();
  EXPECT_FALSE(legacy_output_version("../../bin").ok());
  EXPECT_FALSE(legacy_output_version(std::string(200, '1')).ok());
}

TEST(LegacyPlainFile, FirstVersionLine) {
  auto v = legacy_file_version("/p/.x", "\xEF\xBB\xBF# pinned\r\n\n  3.3.0  \r\nignored\n");
  ASSERT_TRUE(v.ok()) << v.error();
  EXPECT_EQ(v->first, "3.3.0");
  EXPECT_EQ(v->second, 3);
  EXPECT_EQ(legacy_file_version("/p/.x", "\n# none\n")->first, "");
  auto two = legacy_file_version("/p/.x", "\n3.3 3.2\n");
  ASSERT_FALSE(two.ok());
  EXPECT_EQ(two.error().rfind("/p/.x:2: ", 0), 0u) << two.error();
  EXPECT_FALSE(legacy_file_version("/p/.x", "a/b\n").ok());
}

// The walk: <tmp>/work/proj/sub is the cwd, <tmp>/data the data root.
class LegacyFinder : public ::testing::Test {
 protected:
  LegacyFinder() {
    roots_.home = tmp_ / "home";
    roots_.config = tmp_ / "home/.config/rtx";
    roots_.data = tmp_ / "data";
    test::make_dirs(cwd());
    test::make_dirs(roots_.config);
    test::make_dirs(plugins());
  }
  std::string proj() const { return tmp_ / "work/proj"; }
  std::string cwd() const { return tmp_ / "work/proj/sub"; }
  std::string plugins() const { return roots_.data + "/plugins"; }
  void record(const std::string& text) { test::write_file(plugins() + "/.legacy-filenames", text); }
  void parser_script(const std::string& tool) {
    test::write_file(plugins() + "/" + tool + "/bin/parse-legacy-file", "#!/bin/sh\nexit 1\n", 0755);
  }
  std::string found(const char* tool, RequestFinder* with = nullptr) {
    RequestFinder local(roots_, cwd());
    RequestFinder& f = with ? *with : local;
    auto r = f.find(tool);
    if (!r) return "error: " + r.error();
    if (r->tool.empty()) return "none";
    return r->joined() + " from " + r->source;
  }

  test::ScopedEnv enabled_{"RTX_IDIOMATIC_VERSION_FILE_ENABLE_TOOLS", "ruby,node"};
  test::ScopedTempDir tmp_;
  Roots roots_;
};

TEST_F(LegacyFinder, RecordedNamesAreReadForEnabledTools) {
  record("ruby Gemfile.lock .ruby-version\n");
  test::write_file(proj() + "/Gemfile.lock", "  3.2.1 \n");
  EXPECT_EQ(found("ruby"), "3.2.1 from " + proj() + "/Gemfile.lock");
  test::ScopedEnv off("RTX_IDIOMATIC_VERSION_FILE_ENABLE_TOOLS", "node");
  EXPECT_EQ(found("ruby"), "none");
}

TEST_F(LegacyFinder, RankAfterConfigsAndNearestDirectoryWins) {
  record("ruby .ruby-version\n");
  test::write_file(proj() + "/.ruby-version", "3.2.1\n");
  test::write_file(proj() + "/.tool-versions", "ruby 3.0.0\n");
  EXPECT_EQ(found("ruby"), "3.0.0 from " + proj() + "/.tool-versions");
  test::write_file(cwd() + "/.ruby-version", "3.3.0\n");
  EXPECT_EQ(found("ruby"), "3.3.0 from " + cwd() + "/.ruby-version");
}

TEST_F(LegacyFinder, APluginsListReplacesTheBuiltInFilesOfItsTool) {
  test::write_file(proj() + "/.ruby-version", "ruby-3.2.1\n");
  EXPECT_EQ(found("ruby"), "3.2.1 from " + proj() + "/.ruby-version");  // built-in: strips "ruby-"
  record("ruby .ruby-version\n");
  EXPECT_EQ(found("ruby"), "ruby-3.2.1 from " + proj() + "/.ruby-version");  // the plugin's content, as asdf
}

TEST_F(LegacyFinder, ParseLegacyFileAnswersComeFromHandedLinesOrTheCacheNeverAScript) {
  record("ruby .ruby-version\n");
  parser_script("ruby");
  std::string file = proj() + "/.ruby-version";
  test::write_file(file, "garbage the plugin understands\n");

  RequestFinder shim(roots_, cwd());
  std::string miss = found("ruby", &shim);
  EXPECT_NE(miss.find("parse-legacy-file has not read this file"), std::string::npos) << miss;
  ASSERT_NE(shim.legacy_miss(), nullptr);
  LegacyAnswer key = *shim.legacy_miss();
  EXPECT_EQ(key.tool, "ruby");
  EXPECT_EQ(key.path, file);

  // What rtx hands back to the shim.
  LegacyAnswer given = key;
  given.version = "3.1.0";
  RequestFinder handed(roots_, cwd());
  handed.add_legacy_answers(format_legacy_answer(given));
  EXPECT_EQ(found("ruby", &handed), "3.1.0 from " + file);
  EXPECT_EQ(handed.legacy_miss(), nullptr);

  // What the cache holds; a changed file misses again.
  test::write_file(plugins() + "/.legacy-versions", "# c\n" + format_legacy_answer(given) + "\n");
  EXPECT_EQ(found("ruby"), "3.1.0 from " + file);
  test::write_file(file, "garbage the plugin understands!\n");
  EXPECT_NE(found("ruby").find("has not read this file"), std::string::npos);

  // The manager's parser is asked only on a miss.
  int calls = 0;
  RequestFinder manager(roots_, cwd());
  manager.on_legacy_parse([&](const LegacyAnswer& k) -> Expected<std::string> {
    ++calls;
    EXPECT_EQ(k.path, file);
    return std::string("3.4.0");
  });
  EXPECT_EQ(found("ruby", &manager), "3.4.0 from " + file);
  EXPECT_EQ(calls, 1);
  RequestFinder failing(roots_, cwd());
  failing.on_legacy_parse([](const LegacyAnswer&) -> Expected<std::string> { return make_error("bad output"); });
  EXPECT_EQ(found("ruby", &failing), "error: bad output");
}

TEST_F(LegacyFinder, AnotherToolsUnparsedFileDoesNotStopTheWalk) {
  record("node .nodefile\nruby .ruby-version\n");
  parser_script("ruby");
  test::write_file(cwd() + "/.ruby-version", "anything\n");
  test::write_file(proj() + "/.nodefile", "20.1.0\n");
  RequestFinder shim(roots_, cwd());
  EXPECT_EQ(found("node", &shim), "20.1.0 from " + proj() + "/.nodefile");
  EXPECT_EQ(shim.legacy_miss(), nullptr);
}

TEST_F(LegacyFinder, AHandEditedRecordCannotReachOutsideTheDirectory) {
  record("ruby ../secret\n");
  test::write_file(tmp_ / "work/secret", "1.0.0\n");
  EXPECT_EQ(found("ruby"), "none");
}

}  // namespace
}  // namespace rtx::resolver
