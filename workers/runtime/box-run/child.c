/*
 * The forked child that becomes the program: it gives up everything the supervisor holds before
 * exec, so the program starts as the sandbox user with no capabilities at all (not even in its
 * bounding set), no way to gain any (no_new_privs), its own session, its limits, three standard
 * descriptors and nothing else, default signal handling, in /box.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <grp.h>
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <unistd.h>

#include "box-run.h"

static void __attribute__((noreturn)) give_up(const char *what) {
    /* stderr is the program's stderr by now: the message ends up in the run's stderr. */
    char msg[256];
    int n = snprintf(msg, sizeof msg, "box-run: %s: %s\n", what, strerror(errno));
    if (n > 0) write_all(2, msg, (size_t)n);
    _exit(127);
}

static void set_limit(int resource, long long value) {
    struct rlimit rl = { (rlim_t)value, (rlim_t)value };
    if (setrlimit(resource, &rl) != 0) give_up("setrlimit");
}

/* PATH lookup in the program's own environment (execvpe would use the supervisor's). */
static void exec_search(char *const argv[], char *const envp[]) {
    const char *file = argv[0];
    if (strchr(file, '/')) {
        execve(file, argv, envp);
        return;
    }
    const char *path = "/usr/local/bin:/usr/bin:/bin";
    for (int i = 0; envp[i]; i++)
        if (strncmp(envp[i], "PATH=", 5) == 0) path = envp[i] + 5;
    int saved = ENOENT;
    for (const char *p = path; *p;) {
        const char *end = strchr(p, ':');
        size_t len = end ? (size_t)(end - p) : strlen(p);
        char full[4096];
        if (len > 0 && len + strlen(file) + 2 < sizeof full) {
            memcpy(full, p, len);
            full[len] = '/';
            strcpy(full + len + 1, file);
            execve(full, argv, envp);
            if (errno != ENOENT) saved = errno;
        }
        if (!end) break;
        p = end + 1;
    }
    errno = saved;
}

void exec_program(const struct run_request *rq, int in_fd, int out_fd, int err_fd) {
    setsid(); /* its own session and process group */

    if (dup2(in_fd, 0) < 0 || dup2(out_fd, 1) < 0 || dup2(err_fd, 2) < 0) _exit(127);
    if (syscall(SYS_close_range, 3U, ~0U, 0U) != 0)
        for (int f = 3; f < 65536; f++) close(f);

    /* Where the kernel's OOM killer is on (cgroup v2 has no switch for it), the program, not the
     * supervisor, should be its first choice. Raising one's own score needs no privilege. */
    int adj = open("/proc/self/oom_score_adj", O_WRONLY | O_CLOEXEC);
    if (adj >= 0) {
        if (write(adj, "1000", 4) < 0) { /* best effort */ }
        close(adj);
    }

    set_limit(RLIMIT_CORE, 0);
    if (rq->cpu_ms > 0) {
        /* Only a backstop for the runner, which enforces the exact budget: whole seconds, one
         * spare (tick-sampled RLIMIT_CPU can run ahead of the precise rusage time). */
        rlim_t secs = (rlim_t)((rq->cpu_ms + 999) / 1000) + 1;
        struct rlimit rl = { secs, secs + 1 };
        if (setrlimit(RLIMIT_CPU, &rl) != 0) give_up("setrlimit cpu");
    }
    if (rq->fsize_bytes > 0) set_limit(RLIMIT_FSIZE, rq->fsize_bytes);
    if (rq->stack_kb > 0) set_limit(RLIMIT_STACK, rq->stack_kb * 1024);
    if (rq->nofile > 0) set_limit(RLIMIT_NOFILE, rq->nofile);

    /* Drop every capability from the bounding set while we still may (CAP_SETPCAP), then the
     * groups and ids; changing uid away from 0 empties the permitted and effective sets. */
    prctl(PR_CAP_AMBIENT, PR_CAP_AMBIENT_CLEAR_ALL, 0, 0, 0);
    for (int cap = 0; cap <= 63; cap++)
        if (prctl(PR_CAPBSET_DROP, cap, 0, 0, 0) != 0 && errno == EINVAL) break;
    if (setgroups(0, NULL) != 0) give_up("setgroups");
    if (setresgid(SANDBOX_GID, SANDBOX_GID, SANDBOX_GID) != 0) give_up("setresgid");
    if (setresuid(SANDBOX_UID, SANDBOX_UID, SANDBOX_UID) != 0) give_up("setresuid");
    if (prctl(PR_SET_NO_NEW_PRIVS, 1, 0, 0, 0) != 0) give_up("no_new_privs");
    if (getuid() != SANDBOX_UID || geteuid() != SANDBOX_UID || getgid() != SANDBOX_GID) {
        errno = EPERM;
        give_up("dropping privileges");
    }

    /* Ignored signals and the mask survive exec: the program must start with the defaults. */
    for (int sig = 1; sig < NSIG; sig++) signal(sig, SIG_DFL);
    sigset_t none;
    sigemptyset(&none);
    sigprocmask(SIG_SETMASK, &none, NULL);

    umask(022); /* the supervisor's own is 077 */
    if (chdir(BOX_DIR) != 0) give_up("chdir /box");
    exec_search(rq->argv, rq->envp);
    give_up(rq->argv[0]);
}
