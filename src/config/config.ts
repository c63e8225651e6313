// Configuration comes from the environment, parsed and validated once at start-up. A bad value
// is reported as one line naming the variable, so an operator can fix it without reading code.

export const ROLES = ['api', 'relay', 'projector', 'worker'] as const;
export type Role = (typeof ROLES)[number];

export interface Config {
  readonly port: number;
  readonly databaseUrl: string;
  readonly natsUrl: string;
  /** undefined: dockerode's default (DOCKER_HOST or the local socket) */
  readonly dockerHost: string | undefined;
  readonly namespace: string;
  /** undefined: generated on first start and kept in `adminTokenFile` */
  readonly adminToken: string | undefined;
  readonly adminTokenFile: string;
  readonly roles: ReadonlySet<Role>;
  readonly workerSlots: number;
  /** a job not acknowledged (nor marked in progress) for this long is redelivered */
  readonly jobAckWaitMs: number;
  /** deliveries of a job before the judge gives up with JudgingFailed */
  readonly jobMaxDeliver: number;
  readonly logLevel: string;
  readonly limits: AbuseLimitsConfig;
}

/** Abuse limits; counters live in Postgres so they hold across api replicas. */
export interface AbuseLimitsConfig {
  /** submissions per key (or the admin token) per minute */
  submitPerKeyPerMinute: number;
  /** submissions per minute over all keys */
  submitGlobalPerMinute: number;
  /** failed or missing authentication per client IP per minute */
  unauthenticatedPerIpPerMinute: number;
  /** queued + running submissions a tenant may have at once */
  maxActivePerTenant: number;
}

export class ConfigError extends Error {
  constructor(
    readonly variable: string,
    message: string,
  ) {
    super(`${variable}: ${message}`);
    this.name = 'ConfigError';
  }
}

type Env = Record<string, string | undefined>;

function integer(env: Env, name: string, fallback: number, min: number, max: number): number {
  const raw = env[name];
  if (raw === undefined || raw === '') return fallback;
  if (!/^\d+$/.test(raw)) throw new ConfigError(name, `expected a whole number, got "${raw}"`);
  const value = Number(raw);
  if (value < min || value > max) {
    throw new ConfigError(name, `expected ${min}..${max}, got ${value}`);
  }
  return value;
}

function url(env: Env, name: string, fallback: string, protocols: readonly string[]): string {
  const raw = env[name] || fallback;
  let parsed: URL;
  try {
    parsed = new URL(raw);
  } catch {
    // Not echoed: it may hold a password.
    throw new ConfigError(name, 'not a valid URL');
  }
  if (!protocols.includes(parsed.protocol)) {
    throw new ConfigError(name, `expected a ${protocols.join(' or ')} URL, got "${parsed.protocol}"`);
  }
  return raw;
}

function roles(env: Env): ReadonlySet<Role> {
  const raw = env.JUDGE_ROLES;
  if (raw === undefined || raw.trim() === '') return new Set(ROLES);
  const picked = raw.split(',').map((r) => r.trim()).filter((r) => r !== '');
  const unknown = picked.filter((r) => !(ROLES as readonly string[]).includes(r));
  if (unknown.length > 0 || picked.length === 0) {
    throw new ConfigError('JUDGE_ROLES', `unknown role "${unknown.join(',')}"; expected any of ${ROLES.join(',')}`);
  }
  return new Set(picked as Role[]);
}

export function parseConfig(env: Env, cpuCount: number): Config {
  const namespace = env.JUDGE_NAMESPACE || 'judge';
  // The namespace becomes part of JetStream stream names and subjects, which forbid dots,
  // wildcards and spaces; lower case only, so "a" and "A" cannot collide once upper-cased.
  if (!/^[a-z][a-z0-9_-]{0,39}$/.test(namespace)) {
    throw new ConfigError('JUDGE_NAMESPACE', `expected lower-case letters, digits, _ or - (starting with a letter), got "${namespace}"`);
  }
  const adminToken = env.JUDGE_ADMIN_TOKEN;
  if (adminToken !== undefined && adminToken !== '' && adminToken.length < 16) {
    throw new ConfigError('JUDGE_ADMIN_TOKEN', 'must be at least 16 characters');
  }
  const dockerHost = env.DOCKER_HOST || undefined;
  if (dockerHost !== undefined && !/^(unix|tcp|npipe|http|https):\/\//.test(dockerHost)) {
    throw new ConfigError('DOCKER_HOST', `expected unix://, tcp:// or http(s):// address, got "${dockerHost}"`);
  }
  return {
    port: integer(env, 'PORT', 4000, 0, 65535),
    databaseUrl: url(env, 'DATABASE_URL', 'postgres://postgres@127.0.0.1:5432/judge', ['postgres:', 'postgresql:']),
    natsUrl: url(env, 'NATS_URL', 'nats://127.0.0.1:4222', ['nats:', 'tls:']),
    dockerHost,
    namespace,
    adminToken: adminToken || undefined,
    adminTokenFile: env.JUDGE_ADMIN_TOKEN_FILE || '.judge/admin-token',
    roles: roles(env),
    workerSlots: integer(env, 'JUDGE_WORKER_SLOTS', Math.max(1, cpuCount), 1, 256),
    jobAckWaitMs: integer(env, 'JUDGE_JOB_ACK_WAIT_MS', 30_000, 1_000, 3_600_000),
    jobMaxDeliver: integer(env, 'JUDGE_JOB_MAX_DELIVER', 3, 1, 100),
    logLevel: env.LOG_LEVEL || 'info',
    limits: {
      submitPerKeyPerMinute: integer(env, 'JUDGE_SUBMIT_RATE_PER_KEY', 120, 1, 1_000_000),
      submitGlobalPerMinute: integer(env, 'JUDGE_SUBMIT_RATE_GLOBAL', 2400, 1, 10_000_000),
      unauthenticatedPerIpPerMinute: integer(env, 'JUDGE_UNAUTHENTICATED_RATE_PER_IP', 60, 1, 1_000_000),
      maxActivePerTenant: integer(env, 'JUDGE_MAX_ACTIVE_PER_TENANT', 500, 1, 1_000_000),
    },
  };
}
