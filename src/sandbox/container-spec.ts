import type Docker from 'dockerode';
import { BOX_BYTES, INODES, PRIVATE_BYTES, SHM_BYTES, TMP_BYTES, type ContainerResources } from './limits.js';

export const SANDBOX_UID = 10001;
export const BOX_DIR = '/box';
export const SANDBOX_LABEL = 'judge.sandbox';
/** set on containers whose pid 1 is the supervisor (they stop when their worker goes away) */
export const SUPERVISED_LABEL = 'judge.supervised';
export const BOX_RUN_PATH = '/usr/local/bin/box-run';

/**
 * What the supervisor keeps: changing to the sandbox user (SETUID, SETGID), emptying the
 * program's bounding set (SETPCAP), and killing every process of a run (KILL). Nothing else;
 * the program itself starts with none of these, or any other.
 */
export const SUPERVISOR_CAPS: readonly string[] = ['SETUID', 'SETGID', 'SETPCAP', 'KILL'];

/** What programs see: a fixed minimum, nothing of the worker's environment. */
export const PROGRAM_ENV: readonly string[] = [
  'PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin',
  'HOME=/box',
  'TMPDIR=/tmp',
  'LANG=C.UTF-8',
];

export interface ContainerSpecInput {
  image: string;
  namespace: string;
  labels?: Record<string, string> | undefined;
  resources: ContainerResources;
}

const tmpfs = (bytes: number, opts: string): string => `${opts},nosuid,nodev,size=${bytes},nr_inodes=${INODES}`;

/**
 * The hardened container: no network, no capabilities but the supervisor's four, no privilege
 * gain, a read-only root with only small tmpfs writable (/box exec for the build, /tmp and
 * /dev/shm noexec, /run/judge root-only for the supervisor), bounded memory with no swap and the
 * kernel's OOM killer off (the supervisor ends a program over its memory itself, so nothing of
 * the judge is ever the victim), one CPU, bounded tasks, nothing of the host mounted, no
 * environment. Pid 1 is the supervisor, attached to the worker through stdin; StdinOnce closes
 * that stdin when the worker goes away, which ends the supervisor and (AutoRemove) the container.
 */
export function sandboxContainerSpec(input: ContainerSpecInput): Docker.ContainerCreateOptions {
  const { memoryBytes, pidsLimit } = input.resources;
  return {
    Image: input.image,
    Entrypoint: [BOX_RUN_PATH],
    Cmd: ['serve'],
    User: '0:0',
    WorkingDir: BOX_DIR,
    Env: [],
    Hostname: 'sandbox',
    Labels: { ...input.labels, [SANDBOX_LABEL]: input.namespace, [SUPERVISED_LABEL]: '1' },
    NetworkDisabled: true,
    AttachStdin: true,
    AttachStdout: true,
    AttachStderr: true,
    OpenStdin: true,
    StdinOnce: true,
    Tty: false,
    HostConfig: {
      NetworkMode: 'none',
      Memory: memoryBytes,
      MemorySwap: memoryBytes,
      OomKillDisable: true,
      NanoCpus: 1_000_000_000,
      PidsLimit: pidsLimit,
      CapDrop: ['ALL'],
      CapAdd: [...SUPERVISOR_CAPS],
      SecurityOpt: ['no-new-privileges'],
      ReadonlyRootfs: true,
      Tmpfs: {
        [BOX_DIR]: tmpfs(BOX_BYTES, `rw,exec,mode=0755,uid=${SANDBOX_UID},gid=${SANDBOX_UID}`),
        '/tmp': tmpfs(TMP_BYTES, 'rw,noexec,mode=1777'),
        '/run/judge': tmpfs(PRIVATE_BYTES, 'rw,noexec,mode=0700'),
      },
      ShmSize: SHM_BYTES,
      IpcMode: 'private',
      Privileged: false,
      AutoRemove: true,
      RestartPolicy: { Name: 'no' },
      LogConfig: { Type: 'none', Config: {} },
      Ulimits: [{ Name: 'core', Soft: 0, Hard: 0 }],
      Binds: [],
      Mounts: [],
    },
  };
}
