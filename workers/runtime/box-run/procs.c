/*
 * Ending every process of a run. The supervisor is pid 1 of the container's pid namespace, so
 * kill(-1) from a runner (root with CAP_KILL) reaches every other process in the container at
 * once, whatever group, session or user it is in, and the kernel does it atomically with respect
 * to fork: nothing the program starts can slip past it.
 */
#define _GNU_SOURCE
#include <dirent.h>
#include <errno.h>
#include <signal.h>
#include <stdlib.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "box-run.h"

void kill_everyone_else(void) {
    /* Repeat while the kernel reports it signalled anyone: cheap, and a second sweep costs
     * nothing when the first got them all. */
    for (int i = 0; i < 8; i++)
        if (kill(-1, SIGKILL) != 0) break; /* ESRCH: nobody left but us and pid 1 */
}

/* Reaps every child (the runner is a subreaper, so orphans of the program are its children).
 * Returns 0 when none is left, -1 when some are still there at the deadline. */
int reap_children(long long deadline_us) {
    for (;;) {
        pid_t r = waitpid(-1, NULL, WNOHANG | __WALL);
        if (r > 0) continue;
        if (r < 0 && errno == EINTR) continue;
        if (r < 0) return 0; /* ECHILD */
        if (now_us() > deadline_us) return -1;
        struct timespec ts = { 0, 1000000L };
        nanosleep(&ts, NULL);
    }
}

/* Processes in the container other than pid 1 and the caller. */
int count_other_processes(void) {
    DIR *d = opendir("/proc");
    if (!d) return -1;
    int n = 0;
    pid_t self = getpid();
    struct dirent *e;
    while ((e = readdir(d)) != NULL) {
        char *end;
        long pid = strtol(e->d_name, &end, 10);
        if (*end != '\0' || pid <= 1 || pid == self) continue;
        n++;
    }
    closedir(d);
    return n;
}
