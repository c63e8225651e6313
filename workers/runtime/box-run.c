/*
 * box-run: run ONE program under limits inside a judge sandbox container and report what the
 * kernel measured, as one JSON line on box-run's own stdout.
 *
 *   box-run [--cpu-ms N] [--wall-ms N] [--output-bytes N] [--file-bytes N] [--stack-kb N]
 *           [--stdin FILE] [--stdout FILE] [--stderr FILE] [--kill-others] -- PROGRAM [ARGS...]
 *
 *   --cpu-ms        user+system CPU budget of the whole process tree (0 = none)
 *   --wall-ms       wall-clock budget (0 = none)
 *   --output-bytes  stdout/stderr larger than this are reported as outputExceeded (0 = none)
 *   --file-bytes    RLIMIT_FSIZE for every file the program writes (0 = leave as is)
 *   --stack-kb      RLIMIT_STACK (0 = leave as is)
 *   --stdin/--stdout/--stderr  files (default /dev/null); stdout and stderr may name the same file
 *   --kill-others   after the run, kill(-1, SIGKILL): every process of this uid we may signal. Only
 *                   for use inside a container where nothing else of this uid must survive.
 *
 * Output: {"exitCode":..|null,"signal":..|null,"timeMs":..,"wallTimeMs":..,"memoryKb":..,
 *          "cpuExceeded":bool,"wallExceeded":bool,"outputExceeded":bool,"oomKilled":bool}
 * Exit status: 0 when a report was printed, 2 on usage or setup errors (message on stderr).
 *
 * Build: gcc -O2 -static -o box-run box-run.c
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <sys/types.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

/* How often the parent re-checks CPU use while the child runs. */
#define POLL_MS 10
/* Slack for the cgroup-wide CPU check, see the wait loop. */
#define CGROUP_MARGIN_US 20000LL

struct options {
    long long cpu_ms, wall_ms, output_bytes, file_bytes, stack_kb;
    const char *stdin_path, *stdout_path, *stderr_path;
    int kill_others;
    char **argv;
};

static void die(const char *what) {
    fprintf(stderr, "box-run: %s: %s\n", what, strerror(errno));
    exit(2);
}

static void usage(const char *msg) {
    fprintf(stderr,
            "box-run: %s\nusage: box-run [--cpu-ms N] [--wall-ms N] [--output-bytes N] "
            "[--file-bytes N] [--stack-kb N] [--stdin F] [--stdout F] [--stderr F] "
            "[--kill-others] -- PROGRAM [ARGS...]\n",
            msg);
    exit(2);
}

static long long parse_count(const char *flag, const char *s) {
    char *end;
    errno = 0;
    long long v = strtoll(s, &end, 10);
    if (errno || *s == '\0' || *end != '\0' || v < 0) {
        fprintf(stderr, "box-run: %s needs a non-negative integer, got '%s'\n", flag, s);
        exit(2);
    }
    return v;
}

static void parse_args(int argc, char **argv, struct options *o) {
    memset(o, 0, sizeof *o);
    int i = 1;
    for (; i < argc; i++) {
        const char *a = argv[i];
        if (strcmp(a, "--") == 0) { i++; break; }
        if (strcmp(a, "--kill-others") == 0) { o->kill_others = 1; continue; }
        if (i + 1 >= argc) usage("missing value or '--'");
        const char *v = argv[++i];
        if (strcmp(a, "--cpu-ms") == 0) o->cpu_ms = parse_count(a, v);
        else if (strcmp(a, "--wall-ms") == 0) o->wall_ms = parse_count(a, v);
        else if (strcmp(a, "--output-bytes") == 0) o->output_bytes = parse_count(a, v);
        else if (strcmp(a, "--file-bytes") == 0) o->file_bytes = parse_count(a, v);
        else if (strcmp(a, "--stack-kb") == 0) o->stack_kb = parse_count(a, v);
        else if (strcmp(a, "--stdin") == 0) o->stdin_path = v;
        else if (strcmp(a, "--stdout") == 0) o->stdout_path = v;
        else if (strcmp(a, "--stderr") == 0) o->stderr_path = v;
        else usage("unknown option");
    }
    if (i >= argc) usage("no program given");
    o->argv = argv + i;
}

static long long now_ms(void) {
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (long long)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

static long long tv_us(struct timeval tv) { return (long long)tv.tv_sec * 1000000 + tv.tv_usec; }

/* Reads the first integer after `key` in a small cgroup file; -1 when unreadable. With key NULL
 * the file's first number. */
static long long read_counter(const char *path, const char *key) {
    char buf[4096];
    int fd = open(path, O_RDONLY | O_CLOEXEC);
    if (fd < 0) return -1;
    ssize_t n = read(fd, buf, sizeof buf - 1);
    close(fd);
    if (n <= 0) return -1;
    buf[n] = '\0';
    const char *p = buf;
    if (key) {
        size_t kl = strlen(key);
        for (p = buf; (p = strstr(p, key)) != NULL; p += kl)
            if ((p == buf || p[-1] == '\n') && p[kl] == ' ') break;
        if (!p) return -1;
        p += kl;
    }
    return strtoll(p, NULL, 10);
}

/* The container's memory cgroup counts OOM kills; a kill during our run means the program (the
 * only big process here) hit the memory limit. cgroup v1 first, then v2. -1 = not available. */
static long long oom_kills(void) {
    long long v = read_counter("/sys/fs/cgroup/memory/memory.oom_control", "oom_kill");
    if (v < 0) v = read_counter("/sys/fs/cgroup/memory.events", "oom_kill");
    return v;
}

/* CPU used by everything in the container's cgroup, in microseconds; -1 = not available. This
 * covers children the program forks, which /proc/<pid>/stat of the direct child would miss. */
static long long cgroup_cpu_us(void) {
    long long ns = read_counter("/sys/fs/cgroup/cpuacct/cpuacct.usage", NULL);
    if (ns < 0) ns = read_counter("/sys/fs/cgroup/cpu,cpuacct/cpuacct.usage", NULL);
    if (ns >= 0) return ns / 1000;
    return read_counter("/sys/fs/cgroup/cpu.stat", "usage_usec");
}

/* Fallback: CPU of the direct child only (all its threads), from /proc, in microseconds. */
static long long proc_cpu_us(pid_t pid) {
    char path[64], buf[1024];
    snprintf(path, sizeof path, "/proc/%d/stat", (int)pid);
    int fd = open(path, O_RDONLY | O_CLOEXEC);
    if (fd < 0) return -1;
    ssize_t n = read(fd, buf, sizeof buf - 1);
    close(fd);
    if (n <= 0) return -1;
    buf[n] = '\0';
    /* The command name may contain spaces and ')'; fields resume after the last ')'. */
    char *p = strrchr(buf, ')');
    if (!p) return -1;
    unsigned long long utime = 0, stime = 0;
    /* fields 3..15: state ppid pgrp session tty tpgid flags minflt cminflt majflt cmajflt utime stime */
    if (sscanf(p + 2, "%*c %*d %*d %*d %*d %*d %*u %*u %*u %*u %*u %llu %llu", &utime, &stime) != 2)
        return -1;
    long hz = sysconf(_SC_CLK_TCK);
    return (long long)((utime + stime) * 1000000ULL / (unsigned long long)(hz > 0 ? hz : 100));
}

static long long self_cpu_us(void) {
    struct rusage ru;
    getrusage(RUSAGE_SELF, &ru);
    return tv_us(ru.ru_utime) + tv_us(ru.ru_stime);
}

static int open_or_die(const char *path, int flags, const char *what) {
    int fd = open(path ? path : "/dev/null", flags | O_CLOEXEC, 0644);
    if (fd < 0) die(what);
    return fd;
}

/* Output files must be plain files: an earlier program sharing the directory may have left a
 * symlink (O_NOFOLLOW refuses it) or a FIFO (O_NONBLOCK keeps the open from blocking, the type
 * check refuses it) in their place. */
static int create_output(const char *path, const char *what) {
    if (!path) return open_or_die(NULL, O_WRONLY, what);
    int fd = open_or_die(path, O_WRONLY | O_CREAT | O_NOFOLLOW | O_NONBLOCK, what);
    struct stat st;
    if (fstat(fd, &st) != 0) die(what);
    if (!S_ISREG(st.st_mode)) {
        errno = EINVAL;
        die(what);
    }
    if (ftruncate(fd, 0) != 0 || fcntl(fd, F_SETFL, 0) != 0) die(what);
    return fd;
}

static long long file_size(int fd) {
    struct stat st;
    return fstat(fd, &st) == 0 ? (long long)st.st_size : 0;
}

static void set_limit(int resource, rlim_t soft, rlim_t hard) {
    struct rlimit rl = { soft, hard };
    if (setrlimit(resource, &rl) != 0) {
        perror("box-run: setrlimit");
        _exit(126);
    }
}

/* Runs in the forked child: everything here must only affect the program about to be exec'd. */
static void __attribute__((noreturn)) child(const struct options *o, int in_fd, int out_fd, int err_fd) {
    /* Own process group, so the parent can kill the program together with whatever it forks. */
    setpgid(0, 0);

    /* If the cgroup runs out of memory, the kernel should pick the program, not box-run or the
     * container's init. Raising one's own score needs no privilege; failure is harmless. */
    int fd = open("/proc/self/oom_score_adj", O_WRONLY | O_CLOEXEC);
    if (fd >= 0) {
        if (write(fd, "1000", 4) < 0) { /* best effort */ }
        close(fd);
    }

    set_limit(RLIMIT_CORE, 0, 0);
    if (o->cpu_ms > 0) {
        /* Only a backstop: the parent enforces the exact budget. The kernel checks RLIMIT_CPU
         * against tick-sampled time, which can run ahead of the precise time rusage reports, so
         * a limit right at the budget could stop a program "over the limit" below it. Hence one
         * spare second; the hard limit (SIGKILL) catches programs that ignore SIGXCPU. */
        rlim_t secs = (rlim_t)((o->cpu_ms + 999) / 1000) + 1;
        set_limit(RLIMIT_CPU, secs, secs + 1);
    }
    if (o->file_bytes > 0) set_limit(RLIMIT_FSIZE, (rlim_t)o->file_bytes, (rlim_t)o->file_bytes);
    if (o->stack_kb > 0) set_limit(RLIMIT_STACK, (rlim_t)o->stack_kb * 1024, (rlim_t)o->stack_kb * 1024);

    if (dup2(in_fd, 0) < 0 || dup2(out_fd, 1) < 0 || dup2(err_fd, 2) < 0) _exit(126);

    /* Ignored signals survive exec; the parent ignores SIGPIPE, and docker exec may hand us
     * others. The program must see default dispositions and an empty mask. */
    int defaults[] = { SIGPIPE, SIGXFSZ, SIGXCPU, SIGINT, SIGQUIT, SIGTERM, SIGHUP };
    for (size_t i = 0; i < sizeof defaults / sizeof defaults[0]; i++) signal(defaults[i], SIG_DFL);
    sigset_t none;
    sigemptyset(&none);
    sigprocmask(SIG_SETMASK, &none, NULL);

    /* Descriptors beyond 0-2 were opened O_CLOEXEC here, but docker exec could pass others. */
#ifdef SYS_close_range
    if (syscall(SYS_close_range, 3U, ~0U, 0U) != 0)
#endif
        for (int f = 3; f < 1024; f++) close(f);

    execvp(o->argv[0], o->argv);
    fprintf(stderr, "box-run: cannot execute %s: %s\n", o->argv[0], strerror(errno));
    _exit(127);
}

int main(int argc, char **argv) {
    struct options o;
    parse_args(argc, argv, &o);

    /* Orphans of the program re-parent to us instead of the container's init (which does not reap),
     * so we can reap them and count their usage in RUSAGE_CHILDREN. */
    prctl(PR_SET_CHILD_SUBREAPER, 1);
    /* The program runs as our uid. Not dumpable: it cannot ptrace us or open /proc/<our pid>/fd
     * to forge the report (it can still kill us; the caller then gets no report at all). */
    prctl(PR_SET_DUMPABLE, 0);
    /* A closed reader of our report must not kill us before we clean up. */
    signal(SIGPIPE, SIG_IGN);

    int in_fd = open_or_die(o.stdin_path, O_RDONLY, "cannot open --stdin");
    int out_fd = create_output(o.stdout_path, "cannot create --stdout");
    int err_fd = (o.stderr_path && o.stdout_path && strcmp(o.stderr_path, o.stdout_path) == 0)
                     ? out_fd /* one file keeps the program's interleaving of both streams */
                     : create_output(o.stderr_path, "cannot create --stderr");

    long long oom_before = oom_kills();
    long long cg_before = cgroup_cpu_us();
    long long self_before = self_cpu_us();
    long long start = now_ms();

    pid_t pid = fork();
    if (pid < 0) die("fork");
    if (pid == 0) child(&o, in_fd, out_fd, err_fd);
    /* Also from the parent: whichever side runs first, the group exists before we may kill it. */
    setpgid(pid, pid);

    /* A pidfd lets poll() wake the moment the child exits; without one we just sleep-poll. */
    int pidfd = -1;
#ifdef SYS_pidfd_open
    pidfd = (int)syscall(SYS_pidfd_open, pid, 0);
#endif

    int status = 0, cpu_killed = 0, wall_killed = 0;
    struct rusage ru;
    for (;;) {
        pid_t r = wait4(pid, &status, WNOHANG, &ru);
        if (r == pid) break;
        if (r < 0 && errno != EINTR) die("wait4");

        long long elapsed = now_ms() - start;
        if (o.wall_ms > 0 && elapsed >= o.wall_ms) wall_killed = 1;
        if (o.cpu_ms > 0 && !wall_killed) {
            /* The direct child is measured exactly (whole ticks, rounded down, so a kill here
             * always reports timeMs >= the limit). The container's cgroup also sees what it
             * forked, but other short-lived activity there too, hence a small margin. */
            long long budget = o.cpu_ms * 1000;
            if (proc_cpu_us(pid) > budget) cpu_killed = 1;
            if (cg_before >= 0) {
                long long tree = (cgroup_cpu_us() - cg_before) - (self_cpu_us() - self_before);
                if (tree > budget + CGROUP_MARGIN_US) cpu_killed = 1;
            }
        }
        if (wall_killed || cpu_killed) {
            kill(-pid, SIGKILL);
            kill(pid, SIGKILL);
            while (wait4(pid, &status, 0, &ru) < 0 && errno == EINTR) {}
            break;
        }

        int wait_ms = POLL_MS;
        if (o.wall_ms > 0 && o.wall_ms - elapsed < wait_ms) wait_ms = (int)(o.wall_ms - elapsed);
        if (wait_ms < 1) wait_ms = 1;
        if (pidfd >= 0) {
            struct pollfd p = { pidfd, POLLIN, 0 };
            poll(&p, 1, wait_ms);
        } else {
            struct timespec ts = { 0, (long)wait_ms * 1000000L };
            nanosleep(&ts, NULL);
        }
    }
    long long wall = now_ms() - start;

    /* Background children the program left behind must not outlive the run. */
    kill(-pid, SIGKILL);
    if (o.kill_others) kill(-1, SIGKILL); /* also those that escaped into another group */
    /* Reap everything re-parented to us, so usage totals are complete and no zombies pile up
     * against the pids limit. Bounded: a survivor we cannot kill must not hang us. */
    long long reap_deadline = now_ms() + 1000;
    for (;;) {
        pid_t r = waitpid(-1, NULL, WNOHANG);
        if (r > 0) continue;
        if (r < 0 && errno == EINTR) continue;
        if (r < 0 || now_ms() > reap_deadline) break; /* ECHILD: all reaped */
        struct timespec ts = { 0, 2000000L };
        nanosleep(&ts, NULL);
    }

    /* RUSAGE_CHILDREN sums every descendant we reaped (the program includes its own reaped
     * children); ru_maxrss is the largest single process, in KB. */
    struct rusage total;
    getrusage(RUSAGE_CHILDREN, &total);
    long long cpu_us = tv_us(total.ru_utime) + tv_us(total.ru_stime);
    long long time_ms = (cpu_us + 500) / 1000;
    long long oom_after = oom_kills();

    int exited = WIFEXITED(status), signaled = WIFSIGNALED(status);
    int sig = signaled ? WTERMSIG(status) : 0;
    int cpu_exceeded = cpu_killed || sig == SIGXCPU || (o.cpu_ms > 0 && cpu_us > o.cpu_ms * 1000);
    int output_exceeded = sig == SIGXFSZ;
    if (o.output_bytes > 0 &&
        (file_size(out_fd) > o.output_bytes || (err_fd != out_fd && file_size(err_fd) > o.output_bytes)))
        output_exceeded = 1;
    int oom = oom_before >= 0 && oom_after > oom_before;
    int wall_exceeded = wall_killed || (o.wall_ms > 0 && wall > o.wall_ms);

    char exit_code[16] = "null", signal_no[16] = "null";
    if (exited) snprintf(exit_code, sizeof exit_code, "%d", WEXITSTATUS(status));
    if (signaled) snprintf(signal_no, sizeof signal_no, "%d", sig);
    printf("{\"exitCode\":%s,\"signal\":%s,\"timeMs\":%lld,\"wallTimeMs\":%lld,\"memoryKb\":%ld,"
           "\"cpuExceeded\":%s,\"wallExceeded\":%s,\"outputExceeded\":%s,\"oomKilled\":%s}\n",
           exit_code, signal_no, time_ms, wall, total.ru_maxrss, cpu_exceeded ? "true" : "false",
           wall_exceeded ? "true" : "false", output_exceeded ? "true" : "false", oom ? "true" : "false");
    return fflush(stdout) == 0 ? 0 : 2;
}
