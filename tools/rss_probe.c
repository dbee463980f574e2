/* rtx-rss-probe PROG ARGS…: runs PROG and prints its peak RSS.
 *
 * Why a separate tiny process: ru_maxrss of a child counts the memory it
 * shared with its parent before exec (all of it after vfork/posix_spawn, the
 * anonymous part after fork), so a child of the C++ benchmark reports the
 * benchmark's own size. From this static probe the floor is small, and it is
 * measured: the peak RSS of a forked child that exits at once.
 * ru_maxrss of a process that exec'ed is the max over its whole life: for a
 * shim, the shim and the tool it exec'ed.
 *
 * Output (stdout, one line): "maxrss_kib=N status=S floor_kib=F". */
#include <stdio.h>
#include <sys/resource.h>
#include <sys/wait.h>
#include <unistd.h>

/* Peak RSS of a fork child that execs argv (or exits at once when argv is
 * NULL); -1 on failure. */
static long run(char** argv, int* status) {
  pid_t pid = fork();
  if (pid < 0) return -1;
  if (pid == 0) {
    if (argv) execv(argv[0], argv);
    _exit(argv ? 126 : 0);
  }
  struct rusage ru;
  if (wait4(pid, status, 0, &ru) < 0) return -1;
  return ru.ru_maxrss;
}

int main(int argc, char** argv) {
  if (argc < 2) {
    fputs("usage: rtx-rss-probe PROG [ARGS...]\n", stderr);
    return 2;
  }
  int status = 0;
  long floor_kib = run(NULL, &status);
  long kib = run(argv + 1, &status);
  if (kib < 0 || floor_kib < 0) return perror("rtx-rss-probe"), 2;
  printf("maxrss_kib=%ld status=%d floor_kib=%ld\n", kib,
         WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status), floor_kib);
  return 0;
}
