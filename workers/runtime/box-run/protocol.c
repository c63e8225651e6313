/*
 * The request stream (fd 0, from the worker through `docker attach`) and the replies (fd 1).
 * Requests are a text line, then exactly the payload bytes it announces; replies are a text line,
 * then exactly the bytes it announces. Binary payloads (sources, stdin, outputs) travel as is.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "box-run.h"

static char in_buf[64 * 1024];
static size_t in_start, in_end;

static int fill(void) {
    if (in_start == in_end) in_start = in_end = 0;
    if (in_end == sizeof in_buf) return -1;
    ssize_t n;
    do n = read(0, in_buf + in_end, sizeof in_buf - in_end);
    while (n < 0 && errno == EINTR);
    if (n <= 0) return 0;
    in_end += (size_t)n;
    return 1;
}

/* 1: a line (without its newline) in out; 0: end of input; -1: line too long or I/O error. */
int proto_read_line(char *out, size_t cap) {
    size_t scanned = 0;
    for (;;) {
        char *nl = memchr(in_buf + in_start + scanned, '\n', in_end - in_start - scanned);
        if (nl) {
            size_t len = (size_t)(nl - (in_buf + in_start));
            if (len >= cap) return -1;
            memcpy(out, in_buf + in_start, len);
            out[len] = '\0';
            in_start += len + 1;
            return 1;
        }
        scanned = in_end - in_start;
        if (scanned >= cap) return -1;
        if (in_start > 0) { /* make room at the end */
            memmove(in_buf, in_buf + in_start, scanned);
            in_end = scanned;
            in_start = 0;
        }
        int r = fill();
        if (r <= 0) return r;
    }
}

/* Next n bytes to fd (or dropped when fd < 0), without holding them all in memory. */
static int pump(int fd, long long n) {
    while (n > 0) {
        if (in_start == in_end && fill() <= 0) return -1;
        size_t take = in_end - in_start;
        if ((long long)take > n) take = (size_t)n;
        if (fd >= 0 && write_all(fd, in_buf + in_start, take) != 0) {
            int saved = errno;
            in_start += take;
            proto_discard(n - (long long)take); /* stay in step with the stream */
            errno = saved;
            return -2;
        }
        in_start += take;
        n -= (long long)take;
    }
    return 0;
}

/* 0 ok; -1 the stream ended (fatal); -2 writing failed (errno), payload consumed anyway. */
int proto_copy_to_fd(int fd, long long n) { return pump(fd, n); }

int proto_discard(long long n) { return pump(-1, n); }

/* Reads `count` NUL-terminated strings into store; out[i] point into it, out[count] = NULL. */
int proto_read_strings(char **out, int count, char *store, size_t storecap, size_t *used) {
    for (int i = 0; i < count; i++) {
        out[i] = store + *used;
        for (;;) {
            if (in_start == in_end && fill() <= 0) return -1;
            if (*used >= storecap) return -1;
            char c = in_buf[in_start++];
            store[(*used)++] = c;
            if (c == '\0') break;
        }
    }
    out[count] = NULL;
    return 0;
}

void proto_reply(const char *fmt, ...) {
    char line[4096];
    va_list ap;
    va_start(ap, fmt);
    int n = vsnprintf(line, sizeof line - 1, fmt, ap);
    va_end(ap);
    if (n < 0) n = 0;
    if (n > (int)sizeof line - 2) n = (int)sizeof line - 2;
    /* One line, whatever an error message contained. */
    for (int i = 0; i < n; i++)
        if (line[i] == '\n' || line[i] == '\r') line[i] = ' ';
    line[n++] = '\n';
    write_all(1, line, (size_t)n);
}

/* Sends exactly n bytes of the file (the reply line announced n); pads with zeros if the file
 * turned out shorter, so the stream never goes out of step. */
int proto_send_file(const char *path, long long n) {
    static char buf[64 * 1024];
    int fd = open(path, O_RDONLY | O_CLOEXEC | O_NOFOLLOW);
    while (n > 0) {
        size_t want = n > (long long)sizeof buf ? sizeof buf : (size_t)n;
        ssize_t got = fd >= 0 ? read(fd, buf, want) : 0;
        if (got < 0 && errno == EINTR) continue;
        if (got <= 0) {
            memset(buf, 0, want);
            got = (ssize_t)want;
        }
        if (write_all(1, buf, (size_t)got) != 0) {
            if (fd >= 0) close(fd);
            return -1;
        }
        n -= got;
    }
    if (fd >= 0) close(fd);
    return 0;
}
