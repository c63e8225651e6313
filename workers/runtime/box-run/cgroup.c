/*
 * The container's cgroup as the kernel accounts it: CPU of everything in the container, the
 * anonymous memory of everything in it, and whether it is out of memory. cgroup v1 first (what
 * Docker mounts here), then v2. Docker mounts the container's own groups read-only, which is all
 * we need: we never write limits from inside.
 *
 * The buffers are static and touched once before a run (cgroup_prefault): while the group is out
 * of memory, a page fault of ours would sleep like the program's, and the runner must stay awake
 * to kill it.
 */
#define _GNU_SOURCE
#include <string.h>

#include "box-run.h"

static char stat_buf[8192];
static char small_buf[1024];

void cgroup_prefault(void) {
    memset(stat_buf, 0, sizeof stat_buf);
    memset(small_buf, 0, sizeof small_buf);
}

long long cgroup_cpu_us(void) {
    if (read_small("/sys/fs/cgroup/cpuacct/cpuacct.usage", small_buf, sizeof small_buf) > 0 ||
        read_small("/sys/fs/cgroup/cpu,cpuacct/cpuacct.usage", small_buf, sizeof small_buf) > 0) {
        long long ns = 0;
        for (const char *p = small_buf; *p >= '0' && *p <= '9'; p++) ns = ns * 10 + (*p - '0');
        return ns / 1000;
    }
    if (read_small("/sys/fs/cgroup/cpu.stat", small_buf, sizeof small_buf) > 0)
        return find_counter(small_buf, "usage_usec");
    return -1;
}

/* Anonymous memory (and swap, if any) of the whole container: the program tree's heap and stacks
 * on top of the supervisor's small, constant share. Files in tmpfs are not in it. */
long long cgroup_anon_bytes(void) {
    if (read_small("/sys/fs/cgroup/memory/memory.stat", stat_buf, sizeof stat_buf) > 0) {
        long long rss = find_counter(stat_buf, "rss");
        long long swap = find_counter(stat_buf, "swap");
        return rss < 0 ? -1 : rss + (swap > 0 ? swap : 0);
    }
    if (read_small("/sys/fs/cgroup/memory.stat", stat_buf, sizeof stat_buf) > 0) {
        long long anon = find_counter(stat_buf, "anon");
        long long swap = find_counter(stat_buf, "swap");
        return anon < 0 ? -1 : anon + (swap > 0 ? swap : 0);
    }
    return -1;
}

/* The container runs with the kernel's OOM killer disabled (v1): a program over the limit is
 * stopped on its page fault and shows as under_oom, and the runner kills it. Nothing of ours is
 * ever the kernel's victim. On v2 (no such switch) the kernel kills, and oom_kill counts it. */
long long cgroup_oom_kills(int *under_oom) {
    *under_oom = 0;
    if (read_small("/sys/fs/cgroup/memory/memory.oom_control", small_buf, sizeof small_buf) > 0) {
        *under_oom = find_counter(small_buf, "under_oom") > 0;
        long long kills = find_counter(small_buf, "oom_kill");
        return kills < 0 ? 0 : kills;
    }
    if (read_small("/sys/fs/cgroup/memory.events", small_buf, sizeof small_buf) > 0)
        return find_counter(small_buf, "oom_kill");
    return -1;
}
