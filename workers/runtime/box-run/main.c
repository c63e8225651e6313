/*
 * box-run serve: pid 1 of a judge sandbox container, and the only way into it.
 *
 * The worker attaches to the container's stdin/stdout (`docker attach`, no TTY) and sends
 * requests; each is one text line, then the payload it announces. Replies likewise.
 *
 *   PING                              -> OK box-run <protocol>
 *   PUT <name> <size> <mode>  +bytes  -> OK | ERR <why>      write /box/<name> as the sandbox user
 *   SAVE                              -> OK <files> <bytes> | ERR <why>   /box is now "the build"
 *   RUN key=value...  +argv +env +stdin
 *                                     -> REPORT <json> +stdout +stderr | ERR <why>
 *      keys: cpu_ms wall_ms mem_kb out_bytes err_bytes fsize_bytes stack_kb nofile merge
 *            kill_on_output restore argc envc stdin (argv and env: NUL-terminated strings)
 *
 * End of input (the worker closed the stream, or died: the container is created with
 * StdinOnce) ends the supervisor, and with it the container.
 *
 * Why a supervisor at all: one exec round trip through the Docker API per test costs tens of
 * milliseconds; a request over an open stream costs well under one. Why root: a program running
 * as the same user as its monitor can kill or ptrace it. The supervisor keeps only SETUID,
 * SETGID, SETPCAP and KILL (the container is created with nothing else), is not dumpable, and
 * as pid 1 ignores every signal the program could send anyway.
 *
 * Build: gcc -O2 -static -o box-run *.c
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include "box-run.h"

#define PROTOCOL 2

static char line[4096];
static char strings[MAX_STRINGS_BYTES];
static struct run_request rq;

static void __attribute__((noreturn)) protocol_error(const char *why) {
    proto_reply("ERR protocol: %s", why);
    fprintf(stderr, "box-run: protocol error: %s\n", why);
    exit(2);
}

static void reap_zombies(void) {
    while (waitpid(-1, NULL, WNOHANG | __WALL) > 0) {}
}

static int parse_run(char *args, long long *argc, long long *envc, char *bad, size_t badcap) {
    memset(&rq, 0, sizeof rq);
    *argc = *envc = -1;
    rq.stdin_bytes = -1;
    int ok = 1;
    for (char *tok = strtok(args, " "); tok; tok = strtok(NULL, " ")) {
        char *eq = strchr(tok, '=');
        long long v;
        if (!eq || parse_ll(eq + 1, &v) != 0) {
            snprintf(bad, badcap, "bad field '%.40s'", tok);
            ok = 0;
            continue;
        }
        *eq = '\0';
        struct { const char *key; long long *dst; } fields[] = {
            { "cpu_ms", &rq.cpu_ms }, { "wall_ms", &rq.wall_ms }, { "mem_kb", &rq.mem_kb },
            { "out_bytes", &rq.out_bytes }, { "err_bytes", &rq.err_bytes }, { "fsize_bytes", &rq.fsize_bytes },
            { "stack_kb", &rq.stack_kb }, { "nofile", &rq.nofile }, { "argc", argc }, { "envc", envc },
            { "stdin", &rq.stdin_bytes },
        };
        int found = 0;
        for (size_t i = 0; i < sizeof fields / sizeof fields[0]; i++)
            if (strcmp(tok, fields[i].key) == 0) {
                *fields[i].dst = v;
                found = 1;
            }
        if (strcmp(tok, "merge") == 0) rq.merge = v != 0, found = 1;
        if (strcmp(tok, "kill_on_output") == 0) rq.kill_on_output = v != 0, found = 1;
        if (strcmp(tok, "restore") == 0) rq.restore = v != 0, found = 1;
        if (!found) {
            snprintf(bad, badcap, "unknown field '%.40s'", tok);
            ok = 0;
        }
    }
    if (*argc < 1 || *argc > MAX_ARGS || *envc < 0 || *envc > MAX_ARGS || rq.stdin_bytes < 0)
        protocol_error("RUN needs argc (1..256), envc (0..256) and stdin");
    return ok ? 0 : -1;
}

static void write_report(const struct run_report *r) {
    char code[16] = "null", sig[16] = "null";
    if (r->exited) snprintf(code, sizeof code, "%d", r->exit_code);
    else snprintf(sig, sizeof sig, "%d", r->signal ? r->signal : 9);
#define B(x) ((x) ? "true" : "false")
    proto_reply("REPORT {\"exitCode\":%s,\"signal\":%s,\"timeMs\":%lld,\"wallTimeMs\":%lld,\"memoryKb\":%lld,"
                "\"cpuExceeded\":%s,\"wallExceeded\":%s,\"outputExceeded\":%s,\"oomKilled\":%s,\"memoryExceeded\":%s,"
                "\"stdoutBytes\":%lld,\"stderrBytes\":%lld,\"stdoutTotal\":%lld,\"stderrTotal\":%lld}",
                code, sig, (r->time_us + 500) / 1000, r->wall_ms, r->memory_kb, B(r->cpu_exceeded), B(r->wall_exceeded),
                B(r->output_exceeded), B(r->oom), B(r->memory_exceeded), r->stdout_kept, r->stderr_kept, r->stdout_total,
                r->stderr_total);
#undef B
    proto_send_file(STDOUT_PATH, r->stdout_kept);
    proto_send_file(STDERR_PATH, r->stderr_kept);
}

/* Nothing of an earlier run may still be alive when the next one starts. */
static int ensure_alone(void) {
    if (count_other_processes() == 0) return 0;
    kill_everyone_else();
    reap_children(now_us() + 2000000);
    return count_other_processes() == 0 ? 0 : -1;
}

static void handle_run(char *args) {
    long long argc, envc;
    char err[512] = "";
    int bad = parse_run(args, &argc, &envc, err, sizeof err);
    size_t used = 0;
    if (proto_read_strings(rq.argv, (int)argc, strings, sizeof strings, &used) != 0 ||
        proto_read_strings(rq.envp, (int)envc, strings, sizeof strings, &used) != 0)
        protocol_error("argv/env missing, or over 64 KiB");
    if (bad != 0) {
        if (proto_discard(rq.stdin_bytes) != 0) exit(0);
        proto_reply("ERR %s", err);
        return;
    }
    if (ensure_alone() != 0) {
        if (proto_discard(rq.stdin_bytes) != 0) exit(0);
        proto_reply("ERR processes of an earlier run survive SIGKILL");
        return;
    }
    if (rq.restore && restore_box(err, sizeof err) != 0) {
        if (proto_discard(rq.stdin_bytes) != 0) exit(0);
        proto_reply("ERR restore: %s", err);
        return;
    }
    int fd = open(STDIN_PATH, O_WRONLY | O_CREAT | O_TRUNC | O_NOFOLLOW | O_CLOEXEC, 0644);
    int r = fd < 0 ? (proto_discard(rq.stdin_bytes) == 0 ? -2 : -1) : proto_copy_to_fd(fd, rq.stdin_bytes);
    int saved = errno;
    if (fd >= 0) close(fd);
    if (r == -1) exit(0);
    if (r != 0) {
        proto_reply("ERR writing stdin: %s", strerror(saved));
        clear_private_io();
        return;
    }

    int rp[2];
    if (pipe2(rp, O_CLOEXEC) != 0) {
        proto_reply("ERR pipe: %s", strerror(errno));
        return;
    }
    pid_t runner = fork();
    if (runner < 0) {
        close(rp[0]);
        close(rp[1]);
        proto_reply("ERR fork: %s", strerror(errno));
        return;
    }
    if (runner == 0) {
        close(rp[0]);
        struct run_report rep;
        run_program(&rq, &rep);
        _exit(write_all(rp[1], &rep, sizeof rep) == 0 ? 0 : 3);
    }
    close(rp[1]);
    struct run_report rep;
    size_t got = 0;
    while (got < sizeof rep) {
        ssize_t n = read(rp[0], (char *)&rep + got, sizeof rep - got);
        if (n < 0 && errno == EINTR) continue;
        if (n <= 0) break;
        got += (size_t)n;
    }
    close(rp[0]);
    int status = 0;
    while (waitpid(runner, &status, 0) < 0 && errno == EINTR) {}
    if (got < sizeof rep) {
        kill_everyone_else();
        reap_children(now_us() + 2000000);
        clear_private_io();
        if (WIFSIGNALED(status)) proto_reply("ERR the runner was killed by signal %d", WTERMSIG(status));
        else proto_reply("ERR the runner failed (exit %d)", WIFEXITED(status) ? WEXITSTATUS(status) : -1);
        return;
    }
    write_report(&rep);
    clear_private_io();
}

int main(int argc, char **argv) {
    if (argc != 2 || strcmp(argv[1], "serve") != 0) {
        fprintf(stderr, "usage: box-run serve   (pid 1 of a judge sandbox; requests on stdin)\n");
        return 2;
    }
    if (geteuid() != 0) {
        fprintf(stderr, "box-run: must start as root (the container's user), with CAP_SETUID, CAP_SETGID, CAP_SETPCAP, CAP_KILL\n");
        return 2;
    }
    struct stat st;
    if (lstat(PRIVATE_DIR, &st) != 0 || !S_ISDIR(st.st_mode) || st.st_uid != 0 || (st.st_mode & 077) != 0) {
        fprintf(stderr, "box-run: %s must be a root-only (0700) directory\n", PRIVATE_DIR);
        return 2;
    }
    prctl(PR_SET_DUMPABLE, 0); /* no ptrace, no /proc/1/fd for anyone without CAP_SYS_PTRACE */
    signal(SIGPIPE, SIG_IGN);  /* a vanished reader is seen as EOF/EPIPE, not a death */
    umask(077);

    for (;;) {
        reap_zombies();
        int r = proto_read_line(line, sizeof line);
        if (r == 0) return 0;
        if (r < 0) protocol_error("request line too long or unreadable");
        char *args = strchr(line, ' ');
        if (args) *args++ = '\0';
        else args = line + strlen(line);
        if (strcmp(line, "PING") == 0) {
            proto_reply("OK box-run %d", PROTOCOL);
        } else if (strcmp(line, "PUT") == 0) {
            char name[256];
            long long size;
            unsigned mode;
            if (sscanf(args, "%255s %lld %o", name, &size, &mode) != 3 || size < 0) protocol_error("PUT <name> <size> <mode>");
            char err[512];
            if (put_file(name, (int)mode, size, err, sizeof err) == 0) proto_reply("OK");
            else proto_reply("ERR %s", err);
        } else if (strcmp(line, "SAVE") == 0) {
            long long files = 0, bytes = 0;
            char err[512];
            if (snapshot_box(&files, &bytes, err, sizeof err) == 0) proto_reply("OK %lld %lld", files, bytes);
            else proto_reply("ERR %s", err);
        } else if (strcmp(line, "RUN") == 0) {
            handle_run(args);
        } else {
            protocol_error("unknown request");
        }
    }
}
