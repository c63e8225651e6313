/*
 * box-run: the supervisor inside every judge sandbox container. See main.c for the protocol.
 * Shared declarations of its parts; each .c file has one job.
 */
#ifndef BOX_RUN_H
#define BOX_RUN_H

#include <stddef.h>
#include <sys/types.h>

/* The contestant's identity. The supervisor itself is root (with a handful of capabilities) so
 * the program, which never is, cannot signal, ptrace or outwrite it. */
#define SANDBOX_UID 10001
#define SANDBOX_GID 10001

/* /box: the program's working directory (tmpfs, owned by the sandbox user). /run/judge: the
 * supervisor's own tmpfs, root-only (0700): the build snapshot, stdin and the captured output. */
#define BOX_DIR "/box"
#define PRIVATE_DIR "/run/judge"
#define BUILD_DIR PRIVATE_DIR "/build"
#define STDIN_PATH PRIVATE_DIR "/stdin"
#define STDOUT_PATH PRIVATE_DIR "/stdout"
#define STDERR_PATH PRIVATE_DIR "/stderr"

#define MAX_ARGS 256
#define MAX_STRINGS_BYTES (64 * 1024)

struct run_request {
    long long cpu_ms, wall_ms;
    long long mem_kb;      /* a sampled peak above this ends the run early (0 = no check) */
    long long out_bytes;   /* stdout kept; past it the run ends (kill_on_output) or is cut */
    long long err_bytes;   /* stderr kept; the rest is read and dropped */
    long long fsize_bytes; /* RLIMIT_FSIZE */
    long long stack_kb;    /* RLIMIT_STACK, 0 = as inherited */
    long long nofile;      /* RLIMIT_NOFILE */
    int merge;             /* stderr shares stdout's pipe (a compiler log keeps its order) */
    int kill_on_output;
    int restore;           /* wipe the sandbox and restore the build before running */
    long long stdin_bytes;
    char *argv[MAX_ARGS + 1];
    char *envp[MAX_ARGS + 1];
};

struct run_report {
    int exited, exit_code, signal;
    long long time_us, wall_ms, memory_kb;
    int cpu_exceeded, wall_exceeded, output_exceeded, oom, memory_exceeded;
    long long stdout_total, stderr_total, stdout_kept, stderr_kept;
    int leftovers; /* processes that survived the final kill (should be 0) */
};

/* util.c */
long long now_us(void);
int write_all(int fd, const void *buf, size_t n);
ssize_t read_small(const char *path, char *buf, size_t cap);
long long find_counter(const char *text, const char *key);
int parse_ll(const char *s, long long *out);

/* cgroup.c: the container's own cgroup, read-only, as the kernel accounts it */
void cgroup_prefault(void);
long long cgroup_cpu_us(void);
long long cgroup_anon_bytes(void);
/* -1 unreadable; else oom_kill counter, with under_oom set when the group is out of memory now */
long long cgroup_oom_kills(int *under_oom);

/* procs.c */
void kill_everyone_else(void);
int reap_children(long long deadline_us);
int count_other_processes(void);

/* files.c: every touch of /box happens with the sandbox user's file identity */
int put_file(const char *name, int mode, long long size, char *err, size_t errcap);
int snapshot_box(long long *files, long long *bytes, char *err, size_t errcap);
int restore_box(char *err, size_t errcap);
void clear_private_io(void);

/* protocol.c: the request stream (fd 0) and replies (fd 1) */
int proto_read_line(char *out, size_t cap);
int proto_read_strings(char **out, int count, char *store, size_t storecap, size_t *used);
int proto_copy_to_fd(int fd, long long n);
int proto_discard(long long n);
void proto_reply(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
int proto_send_file(const char *path, long long n);

/* child.c */
void exec_program(const struct run_request *rq, int in_fd, int out_fd, int err_fd) __attribute__((noreturn));

/* runner.c */
void run_program(const struct run_request *rq, struct run_report *rep);

#endif
