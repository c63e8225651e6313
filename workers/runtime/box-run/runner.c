/*
 * One run, in a process forked from the supervisor for that run alone (so its rusage totals are
 * this run's and nothing else's): start the program, watch it until it exits or breaks a limit,
 * kill everything it left, and measure what the kernel accounted.
 *
 *   CPU time   user+system of every process of the run (RUSAGE_CHILDREN after reaping them all;
 *              the runner is a subreaper, so orphans come back to it); watched while it runs
 *              through the program's /proc stat and the container's cgroup CPU counter
 *   wall time  CLOCK_MONOTONIC from fork to the program's exit
 *   memory     the larger of the biggest process's peak RSS (ru_maxrss) and the peak of the
 *              container's anonymous memory above what it was before the run (sampled), so a
 *              program cannot hide memory by spreading it over processes
 *
 * The container's OOM killer is off: a program over the container's memory stalls on its page
 * fault, shows as under_oom, and is killed here. The runner must not page-fault meanwhile, so
 * it touches its stack and buffers before the program starts and allocates nothing after.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <unistd.h>

#include "box-run.h"

#define TICK_MS 10
/* The cgroup counter also sees the runner and short helper activity: a small allowance. */
#define CGROUP_MARGIN_US 20000LL

static char pipe_buf[64 * 1024];
static char stat_buf[1024];

static void __attribute__((noinline)) prefault_stack(void) {
    volatile char area[256 * 1024];
    for (size_t i = 0; i < sizeof area; i += 4096) area[i] = 0;
}

static long long tv_us(struct timeval tv) { return (long long)tv.tv_sec * 1000000 + tv.tv_usec; }

static long long self_cpu_us(void) {
    struct rusage ru;
    getrusage(RUSAGE_SELF, &ru);
    return tv_us(ru.ru_utime) + tv_us(ru.ru_stime);
}

/* CPU of one process (all its threads, not its children), from /proc, in microseconds. */
static long long proc_cpu_us(pid_t pid) {
    char path[64];
    snprintf(path, sizeof path, "/proc/%d/stat", (int)pid);
    if (read_small(path, stat_buf, sizeof stat_buf) <= 0) return -1;
    char *p = strrchr(stat_buf, ')'); /* the command name may contain anything */
    if (!p) return -1;
    unsigned long long utime = 0, stime = 0;
    if (sscanf(p + 2, "%*c %*d %*d %*d %*d %*d %*u %*u %*u %*u %*u %llu %llu", &utime, &stime) != 2) return -1;
    long hz = sysconf(_SC_CLK_TCK);
    return (long long)((utime + stime) * 1000000ULL / (unsigned long long)(hz > 0 ? hz : 100));
}

struct sink {
    int fd;           /* read end of the program's pipe, -1 when closed */
    int file;         /* where the kept bytes go */
    long long keep;   /* bytes to keep */
    long long total;  /* bytes the program wrote */
    long long kept;
};

/* Reads what is in the pipe now; keeps up to the limit and drops the rest. */
static void drain(struct sink *s) {
    while (s->fd >= 0) {
        ssize_t n = read(s->fd, pipe_buf, sizeof pipe_buf);
        if (n < 0 && errno == EINTR) continue;
        if (n < 0 && errno == EAGAIN) return;
        if (n <= 0) {
            close(s->fd);
            s->fd = -1;
            return;
        }
        s->total += n;
        long long room = s->keep - s->kept;
        if (room > 0) {
            size_t take = n < room ? (size_t)n : (size_t)room;
            /* A full memory group fails the write (ENOMEM): the output is cut, the run goes on
             * to its memory verdict. */
            if (write_all(s->file, pipe_buf, take) == 0) s->kept += (long long)take;
            else s->keep = s->kept;
        }
    }
}

static int open_capture(const char *path) {
    int fd = open(path, O_WRONLY | O_CREAT | O_TRUNC | O_NOFOLLOW | O_CLOEXEC, 0600);
    if (fd < 0) {
        perror("box-run: open capture file");
        _exit(3);
    }
    return fd;
}

void run_program(const struct run_request *rq, struct run_report *rep) {
    memset(rep, 0, sizeof *rep);
    prctl(PR_SET_CHILD_SUBREAPER, 1);
    prefault_stack();
    memset(pipe_buf, 0, sizeof pipe_buf);
    memset(stat_buf, 0, sizeof stat_buf);
    cgroup_prefault();

    int in_fd = open(STDIN_PATH, O_RDONLY | O_NOFOLLOW | O_CLOEXEC);
    if (in_fd < 0) in_fd = open("/dev/null", O_RDONLY | O_CLOEXEC);
    int out_pipe[2], err_pipe[2] = { -1, -1 };
    if (pipe2(out_pipe, O_CLOEXEC) != 0 || (!rq->merge && pipe2(err_pipe, O_CLOEXEC) != 0)) {
        perror("box-run: pipe");
        _exit(3);
    }
    struct sink out = { out_pipe[0], open_capture(STDOUT_PATH), rq->out_bytes, 0, 0 };
    struct sink err = { rq->merge ? -1 : err_pipe[0], open_capture(STDERR_PATH), rq->err_bytes, 0, 0 };
    fcntl(out.fd, F_SETFL, O_NONBLOCK);
    if (err.fd >= 0) fcntl(err.fd, F_SETFL, O_NONBLOCK);

    int under_oom = 0;
    long long oom_before = cgroup_oom_kills(&under_oom);
    long long anon_before = cgroup_anon_bytes(), anon_peak = 0;
    long long cg_before = cgroup_cpu_us(), self_before = self_cpu_us();
    long long start = now_us(), last_check = start;

    pid_t pid = fork();
    if (pid < 0) {
        perror("box-run: fork");
        _exit(3);
    }
    if (pid == 0) exec_program(rq, in_fd, out_pipe[1], rq->merge ? out_pipe[1] : err_pipe[1]);
    close(out_pipe[1]);
    if (!rq->merge) close(err_pipe[1]);
    int pidfd = (int)syscall(SYS_pidfd_open, pid, 0);

    int status = 0;
    struct rusage ru;
    for (;;) {
        drain(&out);
        drain(&err);
        pid_t r = wait4(pid, &status, WNOHANG, &ru);
        if (r == pid) break;

        long long now = now_us(), elapsed = now - start;
        if (rq->wall_ms > 0 && elapsed >= rq->wall_ms * 1000) rep->wall_exceeded = 1;
        /* The kernel counters once a tick (a flood wakes us far more often than that). */
        if (now - last_check >= TICK_MS * 1000) {
            last_check = now;
            if (rq->cpu_ms > 0) {
                long long budget = rq->cpu_ms * 1000;
                if (proc_cpu_us(pid) > budget) rep->cpu_exceeded = 1;
                if (cg_before >= 0) {
                    long long tree = (cgroup_cpu_us() - cg_before) - (self_cpu_us() - self_before);
                    if (tree > budget + CGROUP_MARGIN_US) rep->cpu_exceeded = 1;
                }
            }
            long long kills = cgroup_oom_kills(&under_oom);
            /* Unreadable now but readable before: the kernel could not even allocate for the
             * read, which only a full group does. */
            if (under_oom || (oom_before >= 0 && (kills < 0 || kills > oom_before))) rep->oom = 1;
            long long anon = cgroup_anon_bytes();
            if (anon >= 0 && anon_before >= 0 && anon - anon_before > anon_peak) anon_peak = anon - anon_before;
            if (rq->mem_kb > 0 && anon_peak > rq->mem_kb * 1024) rep->memory_exceeded = 1;
        }
        if (rq->kill_on_output && out.total > rq->out_bytes) rep->output_exceeded = 1;

        if (rep->wall_exceeded || rep->cpu_exceeded || rep->oom || rep->memory_exceeded || rep->output_exceeded) {
            kill_everyone_else();
            while (wait4(pid, &status, 0, &ru) < 0 && errno == EINTR) {}
            break;
        }

        int wait_ms = TICK_MS;
        if (rq->wall_ms > 0) {
            long long left_ms = (rq->wall_ms * 1000 - elapsed + 999) / 1000;
            if (left_ms < wait_ms) wait_ms = (int)(left_ms > 0 ? left_ms : 1);
        }
        struct pollfd fds[3] = { { pidfd, POLLIN, 0 }, { out.fd, POLLIN, 0 }, { err.fd, POLLIN, 0 } };
        poll(fds, 3, wait_ms); /* negative fds are skipped */
    }
    rep->wall_ms = (now_us() - start + 500) / 1000;

    /* Whatever it left running (background, detached, double-forked) ends now, not later. */
    kill_everyone_else();
    if (reap_children(now_us() + 2000000) != 0) rep->leftovers = count_other_processes();
    drain(&out);
    drain(&err);

    struct rusage total;
    getrusage(RUSAGE_CHILDREN, &total);
    rep->time_us = tv_us(total.ru_utime) + tv_us(total.ru_stime);
    long long rss_kb = total.ru_maxrss;
    long long anon_kb = anon_peak / 1024;
    rep->memory_kb = rss_kb > anon_kb ? rss_kb : anon_kb;
    if (rq->cpu_ms > 0 && rep->time_us > rq->cpu_ms * 1000) rep->cpu_exceeded = 1;
    if (rq->mem_kb > 0 && rep->memory_kb > rq->mem_kb) rep->memory_exceeded = 1;
    /* An OOM kill right at the end (between our last look and the exit) still counts. */
    long long kills = cgroup_oom_kills(&under_oom);
    if (oom_before >= 0 && kills > oom_before) rep->oom = 1;

    rep->exited = WIFEXITED(status);
    rep->exit_code = rep->exited ? WEXITSTATUS(status) : 0;
    rep->signal = WIFSIGNALED(status) ? WTERMSIG(status) : 0;
    if (rep->signal == SIGXCPU) rep->cpu_exceeded = 1;
    if (rep->signal == SIGXFSZ) rep->output_exceeded = 1;
    if (rq->kill_on_output && out.total > rq->out_bytes) rep->output_exceeded = 1;
    rep->stdout_total = out.total;
    rep->stderr_total = err.total;
    rep->stdout_kept = out.kept;
    rep->stderr_kept = err.kept;
}
