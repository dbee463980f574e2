#include "manager/shell/completion.hpp"

#include <algorithm>

#include "resolver/version.hpp"

namespace rtx::shell {
namespace {

bool starts_with(std::string_view s, std::string_view prefix) { return s.substr(0, prefix.size()) == prefix; }

const CliOption* find_option(const CliCommand& cmd, std::string_view word) {
  std::string_view name = word.substr(0, word.find('='));
  for (const auto& o : cmd.options)
    if (std::find(o.names.begin(), o.names.end(), name) != o.names.end()) return &o;
  return nullptr;
}

const CliCommand* find_subcommand(const CliCommand& cmd, std::string_view name) {
  for (const auto& s : cmd.subcommands)
    if (s.name == name) return &s;
  return nullptr;
}

// "node@20." names the tool "node"; "npm:@scope/pkg" names no version (its
// '@' is the scope's), as cli::parse_tool_spec splits them.
bool completion_splits_tool_at(std::string_view word, std::string& tool) {
  std::size_t at = word.rfind('@');
  if (at == std::string_view::npos || at == 0 || word[at - 1] == ':') return false;
  tool = std::string(word.substr(0, at));
  return true;
}

void sort_completion_versions_newest_first(std::vector<std::string>& versions) {
  std::stable_sort(versions.begin(), versions.end(),
                   [](const std::string& a, const std::string& b) { return resolver::compare_versions(a, b) > 0; });
}

// The versions of `tool` a TAB offers: installed ones, plus remote ones where
// the command can install, newest first (duplicates go later, in complete()).
std::vector<std::string> completion_versions_of(const std::string& tool, bool with_remote, const WordSource& source) {
  std::vector<std::string> out = source.versions(tool);
  if (with_remote && source.remote)
    for (auto& v : source.remote(tool)) out.push_back(std::move(v));
  sort_completion_versions_newest_first(out);
  return out;
}

// Words of `kind`, given the positionals typed so far (a version needs its
// tool) and the word being typed (versions only after "tool@").
Completion words_of(WordKind kind, const std::vector<std::string>& positionals, const std::string& current,
                    const WordSource& source) {
  Completion c;
  std::string tool;
  switch (kind) {
    case WordKind::None:
      break;
    case WordKind::Path:
      c.files = true;
      break;
    case WordKind::Tool:
      c.words = source.tools();
      break;
    case WordKind::ToolSpec:
    case WordKind::ToolPrefix:
      if (completion_splits_tool_at(current, tool)) {
        for (const auto& v : completion_versions_of(tool, true, source)) c.words.push_back(tool + "@" + v);
        c.ordered = true;
        break;
      }
      c.words = source.tools();
      if (kind == WordKind::ToolSpec)
        for (auto& w : source.installed()) c.words.push_back(std::move(w));
      break;
    case WordKind::Installed:
      c.words = source.installed();
      c.ordered = true;
      break;
    case WordKind::Command:
      c.words = source.commands();
      break;
    case WordKind::Version:
      if (!positionals.empty()) c.words = source.versions(positionals.front());
      c.ordered = true;
      break;
    case WordKind::RemoteVersion:
      if (!positionals.empty() && source.remote) {
        c.words = source.remote(positionals.front());
        sort_completion_versions_newest_first(c.words);
      }
      c.ordered = true;
      break;
  }
  return c;
}

}  // namespace

bool parse_shell(std::string_view name, Shell& shell) {
  if (name == "bash")
    shell = Shell::Bash;
  else if (name == "zsh")
    shell = Shell::Zsh;
  else if (name == "fish")
    shell = Shell::Fish;
  else
    return false;
  return true;
}

Completion complete(const CliCommand& root, const std::vector<std::string>& words, const WordSource& source) {
  if (words.empty()) return {};
  const std::string& current = words.back();
  const CliCommand* cmd = &root;
  std::vector<std::string> positionals;
  const CliOption* wants_value = nullptr;  // the word before the current one takes a value
  bool after_dashdash = false;
  for (std::size_t i = 0; i + 1 < words.size(); ++i) {
    const std::string& w = words[i];
    wants_value = nullptr;
    if (after_dashdash) continue;
    if (w == "--") {
      after_dashdash = true;
      continue;
    }
    if (starts_with(w, "-")) {
      const CliOption* o = find_option(*cmd, w);
      if (o && o->takes_value && w.find('=') == std::string::npos) {
        if (i + 2 < words.size())
          ++i;  // its value is typed already
        else
          wants_value = o;
      }
      continue;
    }
    if (positionals.empty())
      if (const CliCommand* sub = find_subcommand(*cmd, w)) {
        cmd = sub;
        continue;
      }
    positionals.push_back(w);
  }
  if (after_dashdash) return Completion{true, false, {}};  // `rtx exec … -- COMMAND`

  Completion c;
  if (wants_value) {
    c = words_of(wants_value->value, positionals, current, source);
  } else if (starts_with(current, "-")) {
    for (const auto& o : cmd->options)
      for (const auto& n : o.names) c.words.push_back(n + (o.help.empty() ? "" : "\t" + o.help));
  } else if (positionals.empty() && !cmd->subcommands.empty()) {
    for (const auto& s : cmd->subcommands) c.words.push_back(s.name + (s.help.empty() ? "" : "\t" + s.help));
  } else if (!cmd->positionals.empty()) {
    std::size_t n = positionals.size();
    const auto& ps = cmd->positionals;
    if (n < ps.size())
      c = words_of(ps[n].kind, positionals, current, source);
    else if (ps.back().many)
      c = words_of(ps.back().kind, positionals, current, source);
  }
  // Only words that continue what is typed, each once, in order.
  std::vector<std::string> kept;
  for (auto& w : c.words) {
    if (!starts_with(w, current)) continue;
    std::string_view bare = std::string_view(w).substr(0, w.find('\t'));
    bool seen = std::any_of(kept.begin(), kept.end(),
                            [&](const std::string& k) { return std::string_view(k).substr(0, k.find('\t')) == bare; });
    if (!seen) kept.push_back(std::move(w));
  }
  c.words = std::move(kept);
  return c;
}

std::string completion_script(Shell shell) {
  switch (shell) {
    case Shell::Bash:
      // Words are split from COMP_LINE by blanks, not by COMP_WORDBREAKS (which
      // splits npm:prettier at the colon and node@20 at the '@', both in it
      // by default); replies then drop what bash takes as already typed: the
      // current word up to its last COMP_WORDBREAKS character, which itself
      // stays in readline's word when it is '@' or '$' (rl_special_prefixes).
      return R"(# rtx completion for bash: each TAB asks `rtx __complete`.
_rtx_complete() {
  local line="${COMP_LINE:0:COMP_POINT}" reply w cur
  local -a words=() out=()
  read -r -a words <<< "$line"
  [[ "$line" == *[[:blank:]] ]] && words+=("")
  cur="${words[${#words[@]}-1]}"
  mapfile -t out < <(command "${__rtx_exe:-rtx}" __complete -- "${words[@]:1}" 2> /dev/null)
  COMPREPLY=()
  if [[ "${out[0]-}" == __files__ ]]; then
    mapfile -t COMPREPLY < <(compgen -f -- "$cur")
    return
  fi
  if [[ "${out[0]-}" == __ordered__ ]]; then
    out=("${out[@]:1}")
    compopt -o nosort 2> /dev/null
  fi
  local strip="" i
  for (( i = ${#cur} - 1; i >= 0; i-- )); do
    [[ "$COMP_WORDBREAKS" == *"${cur:i:1}"* ]] || continue
    strip="${cur:0:i+1}"
    [[ "${cur:i:1}" == [@\$] ]] && strip="${cur:0:i}"  # readline keeps these in the word
    break
  done
  for reply in "${out[@]}"; do
    w="${reply%%$'\t'*}"
    COMPREPLY+=("${w#"$strip"}")
  done
}
complete -F _rtx_complete rtx
)";
    case Shell::Zsh:
      // Line 1 lets the installed copy (`_rtx` in an fpath directory) be
      // autoloaded by compinit; sourced, the last lines register it instead.
      return R"(#compdef rtx
# rtx completion for zsh: each TAB asks `rtx __complete`.
_rtx_complete() {
  local -a out values shown group
  local reply
  out=("${(@f)$(command "${__rtx_exe:-rtx}" __complete -- "${(@)words[2,CURRENT]}" 2> /dev/null)}")
  if [[ "${out[1]-}" == __files__ ]]; then
    _files
    return
  fi
  if [[ "${out[1]-}" == __ordered__ ]]; then
    out=("${(@)out[2,-1]}")
    group=(-V rtx-versions)
  fi
  for reply in "${out[@]}"; do
    [[ -z "$reply" ]] && continue
    values+=("${reply%%$'\t'*}")
    if [[ "$reply" == *$'\t'* ]]; then shown+=("${reply%%$'\t'*} -- ${reply#*$'\t'}"); else shown+=("$reply"); fi
  done
  (( ${#values} )) && compadd "${group[@]}" -l -d shown -- "${values[@]}"
}
if [[ "${funcstack[1]-}" == _rtx ]]; then
  _rtx_complete "$@"
elif (( $+functions[compdef] )); then
  compdef _rtx_complete rtx
fi
)";
    case Shell::Fish:
      return R"(# rtx completion for fish: each TAB asks `rtx __complete`.
function __rtx_complete
    set -l words (commandline -opc)[2..-1] (commandline -ct)
    set -l exe rtx
    set -q __rtx_exe; and set exe $__rtx_exe
    set -l out (command $exe __complete -- $words 2> /dev/null)
    if test "$out[1]" = __files__
        __fish_complete_path (commandline -ct)
        return
    end
    test "$out[1]" = __ordered__; and set -e out[1]
    printf '%s\n' $out
end
complete -c rtx -f -a '(__rtx_complete)'
)";
  }
  return {};
}

}  // namespace rtx::shell
