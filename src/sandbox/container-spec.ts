import type Docker from 'dockerode';
import { BOX_SIZE, type ContainerResources } from './limits.js';

export const SANDBOX_USER = '10001:10001';
export const BOX_DIR = '/box';
export const SANDBOX_LABEL = 'judge.sandbox';

/** What commands exec'd in the sandbox see: a fixed minimum, nothing of the worker's env. */
export const EXEC_ENV: readonly string[] = [
  'PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin',
  'HOME=/box',
  'LANG=C.UTF-8',
];

export interface ContainerSpecInput {
  image: string;
  namespace: string;
  labels?: Record<string, string> | undefined;
  resources: ContainerResources;
  name?: string;
}

/**
 * The hardened container for one submission: no network, no capabilities, no privilege gain,
 * a read-only root with only /box (exec) and /tmp (noexec) writable as small tmpfs, a non-root
 * user, bounded memory (no swap), one CPU, bounded tasks, nothing of the host mounted. It idles;
 * every step runs in it through exec.
 */
export function sandboxContainerSpec(input: ContainerSpecInput): Docker.ContainerCreateOptions {
  const { memoryBytes, pidsLimit } = input.resources;
  return {
    ...(input.name ? { name: input.name } : {}),
    Image: input.image,
    Cmd: ['sleep', 'infinity'],
    User: SANDBOX_USER,
    WorkingDir: BOX_DIR,
    Env: [],
    Hostname: 'sandbox',
    Labels: { ...input.labels, [SANDBOX_LABEL]: input.namespace },
    NetworkDisabled: true,
    AttachStdin: false,
    AttachStdout: false,
    AttachStderr: false,
    OpenStdin: false,
    Tty: false,
    HostConfig: {
      NetworkMode: 'none',
      Memory: memoryBytes,
      MemorySwap: memoryBytes,
      NanoCpus: 1_000_000_000,
      PidsLimit: pidsLimit,
      CapDrop: ['ALL'],
      SecurityOpt: ['no-new-privileges'],
      ReadonlyRootfs: true,
      Tmpfs: {
        [BOX_DIR]: `rw,exec,nosuid,nodev,size=${BOX_SIZE},mode=0755,uid=10001,gid=10001`,
        '/tmp': 'rw,noexec,nosuid,nodev,size=32m,mode=1777',
      },
      IpcMode: 'private',
      Privileged: false,
      AutoRemove: false,
      RestartPolicy: { Name: 'no' },
      LogConfig: { Type: 'none', Config: {} },
      Ulimits: [
        { Name: 'nofile', Soft: 1024, Hard: 1024 },
        { Name: 'core', Soft: 0, Hard: 0 },
      ],
      Binds: [],
      Mounts: [],
    },
  };
}
