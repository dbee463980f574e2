#include "manager/shell/not_found.hpp"

#include <algorithm>
#include <iterator>

namespace rtx::shell {
namespace {

struct Companions {
  std::string_view tool;
  std::vector<std::string_view> commands;  // besides the tool's own name
};

// What each build ships in bin/ as rtx installs it (the core backends) or as
// the registry's plugins and packages install it. Only names a user types;
// a command missing here still gets its shim once the tool is installed.
const std::vector<Companions>& companions() {
  static const std::vector<Companions> table = {
      {"node", {"npm", "npx", "corepack"}},
      {"python", {"python3", "pip", "pip3", "pydoc3", "idle3"}},
      {"go", {"gofmt"}},
      {"rust",
       {"cargo", "rustc", "rustdoc", "rustfmt", "cargo-fmt", "cargo-clippy", "clippy-driver", "rust-gdb", "rust-lldb"}},
      {"typescript", {"tsc", "tsserver"}},
      {"bun", {"bunx"}},
      {"ruby", {"gem", "bundle", "bundler", "irb", "rake", "erb", "ri", "rdoc"}},
      {"erlang", {"erl", "erlc", "escript"}},
      {"elixir", {"elixirc", "iex", "mix"}},
      {"java", {"javac", "jar", "jshell", "keytool"}},
  };
  return table;
}

// "npm:@biomejs/biome" → "biome"; "node" → "node".
std::string_view own_command(std::string_view tool) {
  if (tool.rfind("npm:", 0) == 0) tool.remove_prefix(4);
  if (std::size_t slash = tool.rfind('/'); slash != std::string_view::npos) tool.remove_prefix(slash + 1);
  return tool;
}

}  // namespace

std::vector<std::string_view> known_commands(std::string_view tool) {
  std::vector<std::string_view> out{own_command(tool)};
  for (const auto& c : companions())
    if (c.tool == tool) out.insert(out.end(), c.commands.begin(), c.commands.end());
  return out;
}

bool would_provide(std::string_view tool, std::string_view command) {
  auto known = known_commands(tool);
  return !command.empty() && std::find(known.begin(), known.end(), command) != known.end();
}

std::vector<std::string_view> providers_of(std::string_view command) {
  std::vector<std::string_view> out;
  for (const auto& c : companions())
    if (std::find(c.commands.begin(), c.commands.end(), command) != c.commands.end()) out.push_back(c.tool);
  return out;
}

std::vector<resolver::Request> missing_providers(const std::vector<resolver::Request>& requests,
                                                 std::string_view command,
                                                 const std::function<bool(const resolver::Request&)>& installed) {
  std::vector<resolver::Request> out;
  std::copy_if(requests.begin(), requests.end(), std::back_inserter(out), [&](const resolver::Request& r) {
    return !r.specs.empty() && r.specs.front().kind != resolver::SpecKind::System && would_provide(r.tool, command) &&
           !installed(r);
  });
  return out;
}

}  // namespace rtx::shell
