#include "bench/realistic_setup.hpp"

#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <stdexcept>
#include <system_error>

#include "bench/fake_store.hpp"
#include "bench/whole_process.hpp"

namespace fs = std::filesystem;

namespace rtx::bench {
namespace {

void realistic_write(const fs::path& path, const std::string& text, bool executable = false) {
  fs::create_directories(path.parent_path());
  std::ofstream out(path, std::ios::binary | std::ios::trunc);
  out << text;
  if (!out) throw std::runtime_error("cannot write " + path.string());
  out.close();
  if (executable) ::chmod(path.c_str(), 0755);
}

// Debian's dircolors default, the longest variable of a typical login shell.
std::string realistic_ls_colors() {
  std::string s =
      "rs=0:di=01;34:ln=01;36:mh=00:pi=40;33:so=01;35:do=01;35:bd=40;33;01:cd=40;33;01:or=40;31;01:mi=00:"
      "su=37;41:sg=30;43:ca=00:tw=30;42:ow=34;42:st=37;44:ex=01;32";
  for (const char* ext : {"tar", "tgz", "arc",  "arj", "taz", "lha", "lz4", "lzh", "lzma", "tlz", "txz",  "tzo",
                          "t7z", "zip", "z",    "dz",  "gz",  "lrz", "lz",  "lzo", "xz",   "zst", "tzst", "bz2",
                          "bz",  "tbz", "tbz2", "tz",  "deb", "rpm", "jar", "war", "ear",  "sar", "rar",  "alz",
                          "ace", "zoo", "cpio", "7z",  "rz",  "cab", "wim", "swm", "dwm",  "esd"})
    s += std::string(":*.") + ext + "=01;31";
  for (const char* ext :
       {"avif", "jpg",  "jpeg", "mjpg", "mjpeg", "gif", "bmp", "pbm", "pgm", "ppm",  "tga", "xbm", "xpm",
        "tif",  "tiff", "png",  "svg",  "svgz",  "mng", "pcx", "mov", "mpg", "mpeg", "m2v", "mkv", "webm",
        "webp", "ogm",  "mp4",  "m4v",  "mp4v",  "vob", "qt",  "nuv", "wmv", "asf",  "rm",  "rmvb"})
    s += std::string(":*.") + ext + "=01;35";
  for (const char* ext : {"aac", "au", "flac", "m4a", "mid", "midi", "mka", "mp3", "mpc", "ogg", "ra", "wav", "oga",
                          "opus", "spx", "xspf"})
    s += std::string(":*.") + ext + "=00;36";
  return s + ":*~=00;90:*#=00;90:*.bak=00;90:*.old=00;90:*.orig=00;90:*.swp=00;90:*.tmp=00;90:";
}

}  // namespace

std::vector<std::string> login_shell_env(const std::string& home, const std::string& cwd,
                                         const std::string& shims_dir) {
  std::vector<std::string> env = {
      "SHELL=/bin/bash",
      "COLORTERM=truecolor",
      "HISTCONTROL=ignoreboth",
      "HISTSIZE=10000",
      "HISTFILESIZE=20000",
      "EDITOR=vim",
      "PAGER=less",
      "LESS=-FRX",
      "PWD=" + cwd,
      "OLDPWD=" + home,
      "LOGNAME=dev",
      "USER=dev",
      "HOME=" + home,
      "MAIL=/var/mail/dev",
      "HOSTNAME=build-host-07",
      "LANG=en_US.UTF-8",
      "LANGUAGE=en_US:en",
      "TERM=xterm-256color",
      "SHLVL=1",
      "LS_COLORS=" + realistic_ls_colors(),
      "PATH=" + shims_dir + ":" + home +
          "/.local/bin:/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin:/usr/games",
      "MOTD_SHOWN=pam",
      "GPG_TTY=/dev/pts/3",
      "DBUS_SESSION_BUS_ADDRESS=unix:path=/run/user/1000/bus",
      "SSH_AUTH_SOCK=/tmp/ssh-XXXXk3J9aQ/agent.48213",
      "SSH_CLIENT=192.168.1.23 51544 22",
      "SSH_CONNECTION=192.168.1.23 51544 192.168.1.40 22",
      "SSH_TTY=/dev/pts/3",
      "XDG_SESSION_ID=412",
      "XDG_SESSION_TYPE=tty",
      "XDG_SESSION_CLASS=user",
      "XDG_RUNTIME_DIR=/run/user/1000",
      "XDG_DATA_DIRS=/usr/local/share:/usr/share:/var/lib/snapd/desktop",
      "XDG_CONFIG_DIRS=/etc/xdg",
      "_=/usr/bin/benchcmd",
  };
  // The 12 locale categories, as `locale` lists them, beside LANG.
  for (const char* lc :
       {"CTYPE", "NUMERIC", "TIME", "COLLATE", "MONETARY", "MESSAGES", "PAPER", "NAME", "ADDRESS", "TELEPHONE"})
    env.push_back(std::string("LC_") + lc + "=en_US.UTF-8");
  // 35 + 10 = 45.
  return env;
}

RealisticSetup::RealisticSetup(RealisticOptions options, std::string root) : options_(std::move(options)) {
  root_ = make_bench_root(root, "/tmp/rtx-bench-real-", owned_);
  try {
    // The project: ~/src/webapp/.tool-versions, the cwd `depth` levels below.
    std::string project = home() + "/src/webapp";
    realistic_write(project + "/.tool-versions", options_.tool + " " + options_.version + "\n");
    leaf_ = project;
    const char* subs[] = {"services", "api", "internal", "handlers", "v2", "auth", "tokens", "store"};
    if (options_.depth < 0 || options_.depth > 8) throw std::runtime_error("realistic depth must be 0..8");
    for (int i = 0; i < options_.depth; ++i) leaf_ += std::string("/") + subs[i];
    fs::create_directories(leaf_);
    // Global configs that name other tools only: read, never the answer.
    realistic_write(home() + "/.tool-versions", "nodejs 20.11.1\npython 3.12.1\n");
    realistic_write(home() + "/.config/rtx/config.toml",
                    "[tools]\nnode = \"20\"\npython = \"3.12\"\n\n[settings]\njobs = 4\n");

    env_ = login_shell_env(home(), leaf_, data_dir() + "/shims");
    write_plugin();
    run_rtx({"plugins", "link", options_.tool, root_ + "/plugin-src/" + options_.tool});
    run_rtx({"install", options_.tool + "@" + options_.version});
    run_rtx({"reshim"});
    entry_ = fs::canonical(data_dir() + "/installs/" + options_.tool + "/" + options_.version).string();
    if (::access(command_path().c_str(), X_OK) != 0 || ::access(shim_path().c_str(), X_OK) != 0 ||
        ::access((entry_ + ".meta").c_str(), R_OK) != 0)
      throw std::runtime_error("rtx install left no " + command_path() + ", " + shim_path() + " or " + entry_ +
                               ".meta");
  } catch (...) {
    if (owned_) {
      std::error_code ec;
      fs::remove_all(root_, ec);
    }
    throw;
  }
}

RealisticSetup::~RealisticSetup() {
  if (!owned_) return;
  std::error_code ec;
  fs::remove_all(root_, ec);
}

void RealisticSetup::write_plugin() const {
  std::string bin = root_ + "/plugin-src/" + options_.tool + "/bin/";
  const std::string head = "#!/usr/bin/env bash\nset -euo pipefail\n";
  realistic_write(bin + "list-all", head + "echo 1.0.0 1.1.0 " + options_.version + "\n", true);
  realistic_write(bin + "download", head + "mkdir -p \"$ASDF_DOWNLOAD_PATH\"\n", true);
  realistic_write(bin + "install",
                  head + "mkdir -p \"$ASDF_INSTALL_PATH/bin\"\ncp '" + options_.target_binary +
                      "' \"$ASDF_INSTALL_PATH/bin/" + options_.command + "\"\n",
                  true);
  realistic_write(bin + "list-bin-paths", head + "echo bin\n", true);
}

void RealisticSetup::run_rtx(const std::vector<std::string>& args) const {
  std::vector<std::string> argv{options_.rtx};
  argv.insert(argv.end(), args.begin(), args.end());
  std::vector<std::string> env = env_;
  env.push_back("RTX_SHIM_BINARY=" + options_.shim_binary);
  env.push_back("RTX_AUTO_INSTALL=0");
  ProcessRun r = run_process(argv, env, root_ + "/rtx.log", home());
  if (r.status != 0) {
    std::string cmd;
    for (const auto& a : args) cmd += " " + a;
    throw std::runtime_error("rtx" + cmd + " exited " + std::to_string(r.status) + ": " + r.output);
  }
}

}  // namespace rtx::bench
