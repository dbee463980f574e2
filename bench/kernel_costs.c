// rtx-bench-kernel-costs: what the kernel charges, on this machine, for each
// kind of work a shim call does beyond a bare exec hop (issue 11 item 1: the
// part of the shim's gap that is the kernel's). CPU time (user + system,
// getrusage) per operation over many repetitions, median of 5 batches:
//   syscall       a bare syscall (getppid): the entry/exit price
//   dir level     one config directory as the shim lists it: open(O_DIRECTORY)
//                 + getdents64 until 0 (2 calls) + close
//   readlink      of a version pointer (installs/<tool>/<version>)
//   lease         open + flock(LOCK_SH|LOCK_NB) + close of a lease file
//   anon page     a fresh anonymous page touched (heap, stack, .bss), the
//                 mapping and unmapping amortised over 256 pages
//   file page     a page of a cached file mapped and read (fault-around
//                 maps up to 16 at once, as for a binary's text)
//   exec          posix_spawn + wait4 of a static trivial binary (the hop's
//                 unit of work), wall time
//   rtx-bench-kernel-costs [DIR] [STATIC_BINARY]
//     DIR: a scratch directory (default /tmp); STATIC_BINARY: default
//     rtx-bench-target beside this program.
#define _GNU_SOURCE
#include <dirent.h>
#include <fcntl.h>
#include <limits.h>
#include <spawn.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/file.h>
#include <sys/mman.h>
#include <sys/resource.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

extern char** environ;

static double cpu_us(void) {
  struct rusage r;
  getrusage(RUSAGE_SELF, &r);
  return (r.ru_utime.tv_sec + r.ru_stime.tv_sec) * 1e6 + r.ru_utime.tv_usec + r.ru_stime.tv_usec;
}

static double wall_us(void) {
  struct timespec t;
  clock_gettime(CLOCK_MONOTONIC, &t);
  return t.tv_sec * 1e6 + t.tv_nsec / 1e3;
}

static int by_value(const void* a, const void* b) {
  double x = *(const double*)a, y = *(const double*)b;
  return (x > y) - (x < y);
}

enum { kBatches = 5 };

// Median over batches of the cost per operation of op(arg) run `reps` times.
static double per_op(void (*op)(void*), void* arg, int reps, int use_wall) {
  double costs[kBatches];
  for (int b = 0; b < kBatches; ++b) {
    double start = use_wall ? wall_us() : cpu_us();
    for (int i = 0; i < reps; ++i) op(arg);
    costs[b] = ((use_wall ? wall_us() : cpu_us()) - start) / reps;
  }
  qsort(costs, kBatches, sizeof costs[0], by_value);
  return costs[kBatches / 2];
}

static void op_syscall(void* arg) {
  (void)arg;
  syscall(SYS_getppid);
}

static void op_dir_level(void* arg) {
  char buf[2048];
  int fd = open((const char*)arg, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
  if (fd < 0) return;
  while (syscall(SYS_getdents64, fd, buf, sizeof buf) > 0) {
  }
  close(fd);
}

static void op_readlink(void* arg) {
  char buf[256];
  if (readlink((const char*)arg, buf, sizeof buf) < 0) abort();
}

static void op_lease(void* arg) {
  int fd = open((const char*)arg, O_RDONLY | O_CLOEXEC | O_NOFOLLOW | O_NONBLOCK);
  if (fd < 0 || flock(fd, LOCK_SH | LOCK_NB) != 0) abort();
  close(fd);
}

enum { kPages = 256 };

static void op_anon_pages(void* arg) {
  (void)arg;
  char* p = mmap(NULL, kPages * 4096L, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
  if (p == MAP_FAILED) abort();
  for (long i = 0; i < kPages; ++i) p[i * 4096] = 1;
  munmap(p, kPages * 4096L);
}

struct mapped_file {
  int fd;
  long pages;
};

static void op_file_pages(void* arg) {
  struct mapped_file* f = arg;
  volatile char sink = 0;
  char* p = mmap(NULL, f->pages * 4096, PROT_READ, MAP_PRIVATE, f->fd, 0);
  if (p == MAP_FAILED) abort();
  for (long i = 0; i < f->pages; ++i) sink += p[i * 4096];
  munmap(p, f->pages * 4096);
}

static void op_exec(void* arg) {
  char* argv[] = {(char*)arg, NULL};
  pid_t pid;
  if (posix_spawn(&pid, (const char*)arg, NULL, NULL, argv, environ) != 0) abort();
  int status;
  waitpid(pid, &status, 0);
}

int main(int argc, char** argv) {
  const char* scratch = argc > 1 ? argv[1] : "/tmp";
  char target[PATH_MAX];
  if (argc > 2) {
    snprintf(target, sizeof target, "%s", argv[2]);
  } else {
    ssize_t n = readlink("/proc/self/exe", target, sizeof target - 32);
    if (n < 0) return 1;
    target[n] = 0;
    strcpy(strrchr(target, '/') + 1, "rtx-bench-target");
  }

  // A directory like a project's (30 entries), a pointer link, a lease file.
  char dir[PATH_MAX], link_path[PATH_MAX + 64], lease[PATH_MAX + 64], path[PATH_MAX + 64];
  snprintf(dir, sizeof dir, "%s/rtx-kernel-costs.XXXXXX", scratch);
  if (!mkdtemp(dir)) {
    fprintf(stderr, "rtx-bench-kernel-costs: cannot make a directory in %s\n", scratch);
    return 1;
  }
  for (int i = 0; i < 30; ++i) {
    snprintf(path, sizeof path, "%s/entry-%02d", dir, i);
    close(open(path, O_CREAT | O_WRONLY, 0644));
  }
  snprintf(link_path, sizeof link_path, "%s/20.11.1", dir);
  if (symlink("../../store/node/20.11.1-0123456789abcdef", link_path) != 0) return 1;
  snprintf(lease, sizeof lease, "%s/20.11.1-0123456789abcdef.lease", dir);
  close(open(lease, O_CREAT | O_WRONLY, 0644));
  struct mapped_file text = {open(target, O_RDONLY), 0};
  if (text.fd < 0) {
    fprintf(stderr, "rtx-bench-kernel-costs: cannot open %s: build it first\n", target);
    return 1;
  }
  text.pages = lseek(text.fd, 0, SEEK_END) / 4096;

  printf("kernel costs on this machine (median of %d batches; CPU time unless said)\n", kBatches);
  printf("  syscall (getppid)            %8.2f us\n", per_op(op_syscall, NULL, 200000, 0));
  printf("  config dir level (4 calls)   %8.2f us\n", per_op(op_dir_level, dir, 20000, 0));
  printf("  readlink of a pointer        %8.2f us\n", per_op(op_readlink, link_path, 50000, 0));
  printf("  lease open+flock+close       %8.2f us\n", per_op(op_lease, lease, 20000, 0));
  printf("  fresh anonymous page         %8.2f us\n", per_op(op_anon_pages, NULL, 40, 0) / kPages);
  printf("  cached file page (mapped)    %8.2f us  (%ld pages of %s)\n",
         per_op(op_file_pages, &text, 200, 0) / text.pages, text.pages, target);
  printf("  exec of a static binary      %8.2f us  (wall, posix_spawn + wait)\n", per_op(op_exec, target, 200, 1));

  close(text.fd);
  for (int i = 0; i < 30; ++i) {
    snprintf(path, sizeof path, "%s/entry-%02d", dir, i);
    unlink(path);
  }
  unlink(link_path);
  unlink(lease);
  rmdir(dir);
  return 0;
}
