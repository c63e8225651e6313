/*
 * The working directory between runs: writing the source, saving the build after compiling, and
 * before every test wiping whatever the last program left (in /box, /tmp, /dev/shm, /dev/mqueue
 * and System V IPC) and putting the build back.
 *
 * Judge0's escapes (CVE-2024-28185, -28189) came from a privileged helper following a symlink the
 * program planted. Here every access to a place the program can write is made with the sandbox
 * user's file identity (setfsuid), so the supervisor can do there nothing the program could not
 * do itself; links are never followed (O_NOFOLLOW, AT_SYMLINK_NOFOLLOW), and no program process
 * is alive while this runs. Only the root-only /run/judge is touched as root.
 */
#define _GNU_SOURCE
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/fsuid.h>
#include <sys/ipc.h>
#include <sys/msg.h>
#include <sys/sem.h>
#include <sys/shm.h>
#include <sys/stat.h>
#include <unistd.h>

#include "box-run.h"

#define MAX_DEPTH 16
#define MAX_ENTRIES 4096
#define WIPE_PASSES 20000 /* deeper than the inode limit of /box allows */

static void fs_as(uid_t uid, gid_t gid) {
    setfsgid(gid);
    setfsuid(uid);
}
static void fs_sandbox(void) { fs_as(SANDBOX_UID, SANDBOX_GID); }
static void fs_root(void) { fs_as(0, 0); }

static int fail(char *err, size_t cap, const char *what, const char *name) {
    snprintf(err, cap, "%s %s: %s", what, name, strerror(errno));
    return -1;
}

static int valid_name(const char *name) {
    size_t n = strlen(name);
    if (n == 0 || n > 128 || strcmp(name, ".") == 0 || strcmp(name, "..") == 0) return 0;
    for (const char *p = name; *p; p++)
        if (!((*p >= 'a' && *p <= 'z') || (*p >= 'A' && *p <= 'Z') || (*p >= '0' && *p <= '9') || *p == '.' || *p == '_' || *p == '-'))
            return 0;
    return 1;
}

int put_file(const char *name, int mode, long long size, char *err, size_t errcap) {
    if (!valid_name(name)) {
        proto_discard(size);
        snprintf(err, errcap, "bad file name");
        return -1;
    }
    fs_sandbox();
    int dir = open(BOX_DIR, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
    int fd = dir < 0 ? -1 : openat(dir, name, O_WRONLY | O_CREAT | O_TRUNC | O_NOFOLLOW | O_CLOEXEC, mode & 0755);
    if (dir >= 0) close(dir);
    if (fd < 0) {
        int saved = errno;
        fs_root();
        proto_discard(size);
        errno = saved;
        return fail(err, errcap, "create", name);
    }
    int r = proto_copy_to_fd(fd, size);
    if (r == 0 && fchmod(fd, mode & 0755) != 0) r = -2; /* the mode asked for, not our umask's */
    fs_root();
    close(fd);
    if (r == -1) exit(0); /* the request stream ended: nobody is listening any more */
    if (r != 0) return fail(err, errcap, "write", name);
    return 0;
}

/* ---- copying a tree (build snapshot and restore) ------------------------------------------ */

struct budget {
    long long files, bytes, max_bytes;
};

static int copy_data(int in, int out, struct budget *b) {
    static char buf[64 * 1024];
    for (;;) {
        ssize_t n = read(in, buf, sizeof buf);
        if (n < 0 && errno == EINTR) continue;
        if (n < 0) return -1;
        if (n == 0) return 0;
        b->bytes += n;
        if (b->bytes > b->max_bytes) {
            errno = EFBIG;
            return -1;
        }
        if (write_all(out, buf, (size_t)n) != 0) return -1;
    }
}

/* Copies the entries of src into dst (both open directories), reading as src_uid and writing as
 * dst_uid. Regular files, directories and symlinks; anything else (FIFOs, sockets) is left out. */
static int copy_tree(int src, uid_t src_uid, int dst, uid_t dst_uid, int depth, struct budget *b, char *err, size_t cap) {
    gid_t src_gid = src_uid ? SANDBOX_GID : 0, dst_gid = dst_uid ? SANDBOX_GID : 0;
    fs_as(src_uid, src_gid);
    int scan = dup(src);
    DIR *d = scan < 0 ? NULL : fdopendir(scan);
    if (!d) {
        if (scan >= 0) close(scan);
        fs_root();
        return fail(err, cap, "list", "directory");
    }
    rewinddir(d);
    int rc = 0;
    struct dirent *e;
    while (rc == 0 && (e = readdir(d)) != NULL) {
        const char *name = e->d_name;
        if (strcmp(name, ".") == 0 || strcmp(name, "..") == 0) continue;
        if (++b->files > MAX_ENTRIES) {
            errno = EMLINK;
            rc = fail(err, cap, "too many files at", name);
            break;
        }
        struct stat st;
        fs_as(src_uid, src_gid);
        if (fstatat(src, name, &st, AT_SYMLINK_NOFOLLOW) != 0) continue; /* gone */
        mode_t mode = st.st_mode & 0755; /* never setuid/setgid, never world-writable */
        if (S_ISREG(st.st_mode)) {
            int in = openat(src, name, O_RDONLY | O_NOFOLLOW | O_CLOEXEC);
            fs_as(dst_uid, dst_gid);
            int out = openat(dst, name, O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC, mode | 0600);
            if (in < 0 || out < 0 || copy_data(in, out, b) != 0) rc = fail(err, cap, "copy", name);
            if (rc == 0 && fchmod(out, mode) != 0) rc = fail(err, cap, "chmod", name);
            if (in >= 0) close(in);
            if (out >= 0) close(out);
        } else if (S_ISDIR(st.st_mode)) {
            if (depth >= MAX_DEPTH) continue;
            int in = openat(src, name, O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
            fs_as(dst_uid, dst_gid);
            int out = -1;
            if (in >= 0 && mkdirat(dst, name, 0700) == 0) out = openat(dst, name, O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
            if (in < 0 || out < 0) rc = fail(err, cap, "copy directory", name);
            else rc = copy_tree(in, src_uid, out, dst_uid, depth + 1, b, err, cap);
            fs_as(dst_uid, dst_gid);
            if (rc == 0 && fchmod(out, mode | 0700) != 0) rc = fail(err, cap, "chmod", name);
            if (in >= 0) close(in);
            if (out >= 0) close(out);
        } else if (S_ISLNK(st.st_mode)) {
            char target[4096];
            ssize_t n = readlinkat(src, name, target, sizeof target - 1);
            if (n < 0) continue;
            target[n] = '\0';
            fs_as(dst_uid, dst_gid);
            if (symlinkat(target, dst, name) != 0) rc = fail(err, cap, "copy link", name);
        }
    }
    closedir(d);
    fs_root();
    return rc;
}

/* ---- wiping what a program left ------------------------------------------------------------ */

/* Moves every entry of the directory `name` (in dir) up into top, under fresh names, so that deep
 * trees are flattened one level per pass instead of recursed into. */
static void hoist_children(int dir, const char *name, int top, unsigned *counter) {
    fchmodat(dir, name, 0700, 0); /* ours: make it listable and writable; it is a directory, not a link */
    int sub = openat(dir, name, O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
    if (sub < 0) return;
    DIR *d = fdopendir(sub);
    if (!d) {
        close(sub);
        return;
    }
    struct dirent *e;
    while ((e = readdir(d)) != NULL) {
        if (strcmp(e->d_name, ".") == 0 || strcmp(e->d_name, "..") == 0) continue;
        if (unlinkat(sub, e->d_name, 0) == 0) continue;
        struct stat st;
        if (fstatat(sub, e->d_name, &st, AT_SYMLINK_NOFOLLOW) == 0 && S_ISDIR(st.st_mode)) {
            if (unlinkat(sub, e->d_name, AT_REMOVEDIR) == 0) continue;
            fchmodat(sub, e->d_name, 0700, 0); /* moving a directory rewrites its ".." */
        }
        for (int tries = 0; tries < 64; tries++) {
            char fresh[32];
            snprintf(fresh, sizeof fresh, ".wipe-%u", (*counter)++);
            if (renameat2(sub, e->d_name, top, fresh, RENAME_NOREPLACE) == 0 || errno != EEXIST) break;
        }
    }
    closedir(d);
}

/* Empties a directory as the sandbox user; 0 when it is empty afterwards. */
static int wipe_dir(const char *path, int owned) {
    /* The program may have taken its own rights to /box away (it owns it); the mount point
     * itself cannot be replaced by a link. */
    if (owned) chmod(path, 0755);
    int top = open(path, O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
    if (top < 0) return errno == ENOENT ? 0 : -1;
    unsigned counter = 0;
    int left = 1, progress = 1;
    for (int pass = 0; left && progress && pass < WIPE_PASSES; pass++) {
        int scan = dup(top);
        DIR *d = scan < 0 ? NULL : fdopendir(scan);
        if (!d) break;
        rewinddir(d);
        left = progress = 0;
        struct dirent *e;
        while ((e = readdir(d)) != NULL) {
            if (strcmp(e->d_name, ".") == 0 || strcmp(e->d_name, "..") == 0) continue;
            if (unlinkat(top, e->d_name, 0) == 0) {
                progress = 1;
                continue;
            }
            struct stat st;
            if (fstatat(top, e->d_name, &st, AT_SYMLINK_NOFOLLOW) != 0) continue;
            left = 1;
            if (!S_ISDIR(st.st_mode) || st.st_uid != SANDBOX_UID) continue; /* not ours: stays (reported) */
            progress = 1;
            if (unlinkat(top, e->d_name, AT_REMOVEDIR) == 0) continue;
            hoist_children(top, e->d_name, top, &counter);
        }
        closedir(d);
    }
    close(top);
    return left ? -1 : 0;
}

/* System V IPC objects outlive the processes that made them; remove the sandbox user's. Needs
 * the sandbox user's effective uid (IPC checks it, not the file identity). */
static void remove_ipc(void) {
    static const char *tables[] = { "/proc/sysvipc/shm", "/proc/sysvipc/sem", "/proc/sysvipc/msg" };
    if (setegid(SANDBOX_GID) != 0 || seteuid(SANDBOX_UID) != 0) {
        seteuid(0);
        setegid(0);
        return;
    }
    for (int t = 0; t < 3; t++) {
        FILE *f = fopen(tables[t], "re");
        if (!f) continue;
        char line[512];
        int header = 1;
        while (fgets(line, sizeof line, f)) {
            if (header) {
                header = 0;
                continue;
            }
            int key, id;
            if (sscanf(line, "%d %d", &key, &id) != 2) continue;
            if (t == 0) shmctl(id, IPC_RMID, NULL);
            else if (t == 1) semctl(id, 0, IPC_RMID);
            else msgctl(id, IPC_RMID, NULL);
        }
        fclose(f);
    }
    seteuid(0);
    setegid(0);
}

int restore_box(char *err, size_t cap) {
    int n = count_other_processes();
    if (n != 0) {
        snprintf(err, cap, "%d processes still alive before restoring the box", n);
        return -1;
    }
    fs_sandbox();
    int box = wipe_dir(BOX_DIR, 1);
    int tmp = wipe_dir("/tmp", 0);
    int shm = wipe_dir("/dev/shm", 0);
    wipe_dir("/dev/mqueue", 0);
    fs_root();
    remove_ipc();
    if (box || tmp || shm) {
        snprintf(err, cap, "could not empty%s%s%s", box ? " /box" : "", tmp ? " /tmp" : "", shm ? " /dev/shm" : "");
        return -1;
    }
    int src = open(BUILD_DIR, O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
    if (src < 0) return fail(err, cap, "open", "the saved build (no SAVE yet?)");
    fs_sandbox();
    int dst = open(BOX_DIR, O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
    fs_root();
    if (dst < 0) {
        close(src);
        return fail(err, cap, "open", BOX_DIR);
    }
    struct budget b = { 0, 0, 1LL << 40 };
    int rc = copy_tree(src, 0, dst, SANDBOX_UID, 0, &b, err, cap);
    close(src);
    close(dst);
    return rc;
}

/* Removes a tree the supervisor made itself (as root, bounded depth, no foreign links). */
static void remove_tree(int dir, int depth) {
    int scan = dup(dir);
    DIR *d = scan < 0 ? NULL : fdopendir(scan);
    if (!d) return;
    rewinddir(d);
    struct dirent *e;
    while ((e = readdir(d)) != NULL) {
        if (strcmp(e->d_name, ".") == 0 || strcmp(e->d_name, "..") == 0) continue;
        if (unlinkat(dir, e->d_name, 0) == 0 || depth > MAX_DEPTH) continue;
        int sub = openat(dir, e->d_name, O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
        if (sub < 0) continue;
        remove_tree(sub, depth + 1);
        close(sub);
        unlinkat(dir, e->d_name, AT_REMOVEDIR);
    }
    closedir(d);
}

static void remove_build(void) {
    fs_root();
    int top = open(BUILD_DIR, O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
    if (top < 0) return;
    remove_tree(top, 0);
    close(top);
    rmdir(BUILD_DIR);
}

int snapshot_box(long long *files, long long *bytes, char *err, size_t cap) {
    remove_build();
    if (mkdir(BUILD_DIR, 0700) != 0) return fail(err, cap, "create", BUILD_DIR);
    int dst = open(BUILD_DIR, O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
    fs_sandbox();
    int src = open(BOX_DIR, O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
    fs_root();
    if (src < 0 || dst < 0) {
        if (src >= 0) close(src);
        if (dst >= 0) close(dst);
        return fail(err, cap, "open", "box or build");
    }
    struct budget b = { 0, 0, 256LL << 20 };
    int rc = copy_tree(src, SANDBOX_UID, dst, 0, 0, &b, err, cap);
    close(src);
    close(dst);
    *files = b.files;
    *bytes = b.bytes;
    return rc;
}

void clear_private_io(void) {
    /* Frees their memory between runs (tmpfs pages count against the container's limit). */
    truncate(STDIN_PATH, 0);
    truncate(STDOUT_PATH, 0);
    truncate(STDERR_PATH, 0);
}
