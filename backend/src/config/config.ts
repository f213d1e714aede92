import { isAbsolute, resolve } from 'node:path';
import { envSchema } from './config.schema';

/** Thrown at start-up with every bad or missing key, so one run shows all that needs fixing. */
export class ConfigError extends Error {
  constructor(readonly problems: string[]) {
    super(`Invalid configuration:\n${problems.map((p) => `  - ${p}`).join('\n')}`);
    this.name = 'ConfigError';
  }
}

export interface CairnConfig {
  env: 'development' | 'production' | 'test';
  dataDir: string;
  bindHost: string;
  api: { port: number; url: string; workers: number };
  /** How far event resolution may fall behind acknowledgement before senders are slowed to its pace. */
  ingest: { maxLagMs: number };
  web: { port: number; publicUrl: string };
  /** Absent when Cairn should start its embedded PostgreSQL. */
  databaseUrl: string | undefined;
  embeddedPostgresPort: number;
  temporal: {
    /** Absent when Cairn should start a Temporal dev server. */
    address: string | undefined;
    namespace: string;
    taskQueue: string;
    cliPath: string | undefined;
    port: number;
    uiPort: number;
  };
  /** Absent only outside production: the runtime then generates one and keeps it in the data folder. */
  secretKey: Buffer | undefined;
  cookieSecure: boolean;
  sessionTtlHours: number;
  logLevel: string;
  demo: { enabled: boolean; password: string };
  /** In demo mode without CRM apps, the supervisor runs the HubSpot and Salesforce emulators here. */
  sandboxPorts: { hubspot: number; salesforce: number };
  /** OAuth apps for the CRM connectors; a provider without one cannot be connected. */
  crm: {
    hubspot: { clientId: string; clientSecret: string; apiUrl: string; authorizeUrl: string } | undefined;
    salesforce: { clientId: string; clientSecret: string; loginUrl: string } | undefined;
  };
}

/** The only reader of the environment. */
export function loadConfig(source: NodeJS.ProcessEnv = process.env): CairnConfig {
  const raw = Object.fromEntries(
    Object.keys(envSchema.shape).map((k) => [k, source[k] === '' ? undefined : source[k]]),
  );
  const parsed = envSchema.safeParse(raw);
  const problems: string[] = [];
  if (!parsed.success) {
    for (const issue of parsed.error.issues) {
      const key = issue.path.join('.');
      problems.push(`${key}: ${issue.message}${raw[key] === undefined ? '' : ` (got "${raw[key]}")`}`);
    }
    throw new ConfigError(problems);
  }
  const e = parsed.data;
  if (e.NODE_ENV === 'production') {
    if (!e.DATABASE_URL) problems.push('DATABASE_URL: required when NODE_ENV=production');
    if (!e.TEMPORAL_ADDRESS) problems.push('TEMPORAL_ADDRESS: required when NODE_ENV=production');
    if (!e.CAIRN_SECRET_KEY) problems.push('CAIRN_SECRET_KEY: required when NODE_ENV=production');
  }
  for (const [provider, id, secret] of [
    ['HUBSPOT', e.HUBSPOT_CLIENT_ID, e.HUBSPOT_CLIENT_SECRET],
    ['SALESFORCE', e.SALESFORCE_CLIENT_ID, e.SALESFORCE_CLIENT_SECRET],
  ] as const) {
    if (Boolean(id) !== Boolean(secret)) {
      problems.push(`${provider}_CLIENT_ID and ${provider}_CLIENT_SECRET: set both or neither`);
    }
  }
  if (problems.length) throw new ConfigError(problems);

  const dataDir = isAbsolute(e.CAIRN_DATA_DIR) ? e.CAIRN_DATA_DIR : resolve(e.CAIRN_DATA_DIR);
  const localHost = e.CAIRN_BIND_HOST === '0.0.0.0' ? '127.0.0.1' : e.CAIRN_BIND_HOST;
  return {
    env: e.NODE_ENV,
    dataDir,
    bindHost: e.CAIRN_BIND_HOST,
    api: {
      port: e.CAIRN_API_PORT,
      url: e.CAIRN_API_URL ?? `http://${localHost}:${e.CAIRN_API_PORT}`,
      workers: e.CAIRN_API_WORKERS,
    },
    ingest: { maxLagMs: e.CAIRN_INGEST_MAX_LAG_SECONDS * 1000 },
    web: {
      port: e.CAIRN_WEB_PORT,
      publicUrl: (e.CAIRN_PUBLIC_URL ?? `http://localhost:${e.CAIRN_WEB_PORT}`).replace(/\/$/, ''),
    },
    databaseUrl: e.DATABASE_URL,
    embeddedPostgresPort: e.CAIRN_EMBEDDED_PG_PORT,
    temporal: {
      address: e.TEMPORAL_ADDRESS,
      namespace: e.TEMPORAL_NAMESPACE,
      taskQueue: e.TEMPORAL_TASK_QUEUE,
      cliPath: e.TEMPORAL_CLI_PATH,
      port: e.CAIRN_TEMPORAL_PORT,
      uiPort: e.CAIRN_TEMPORAL_UI_PORT,
    },
    secretKey: e.CAIRN_SECRET_KEY ? Buffer.from(e.CAIRN_SECRET_KEY, 'base64') : undefined,
    cookieSecure: e.CAIRN_COOKIE_SECURE,
    sessionTtlHours: e.CAIRN_SESSION_TTL_HOURS,
    logLevel: e.CAIRN_LOG_LEVEL,
    // Demo data is seeded by default only when Cairn runs on its own embedded database.
    demo: { enabled: e.CAIRN_DEMO ?? !e.DATABASE_URL, password: e.CAIRN_DEMO_PASSWORD },
    sandboxPorts: { hubspot: e.CAIRN_SANDBOX_HUBSPOT_PORT, salesforce: e.CAIRN_SANDBOX_SALESFORCE_PORT },
    crm: {
      hubspot:
        e.HUBSPOT_CLIENT_ID && e.HUBSPOT_CLIENT_SECRET
          ? {
              clientId: e.HUBSPOT_CLIENT_ID,
              clientSecret: e.HUBSPOT_CLIENT_SECRET,
              apiUrl: (e.HUBSPOT_API_URL ?? 'https://api.hubapi.com').replace(/\/$/, ''),
              authorizeUrl: e.HUBSPOT_AUTHORIZE_URL ?? 'https://app.hubspot.com/oauth/authorize',
            }
          : undefined,
      salesforce:
        e.SALESFORCE_CLIENT_ID && e.SALESFORCE_CLIENT_SECRET
          ? {
              clientId: e.SALESFORCE_CLIENT_ID,
              clientSecret: e.SALESFORCE_CLIENT_SECRET,
              loginUrl: (e.SALESFORCE_LOGIN_URL ?? 'https://login.salesforce.com').replace(/\/$/, ''),
            }
          : undefined,
    },
  };
}

/**
 * The environment that makes `loadConfig` return `config` again: how the supervisor hands its resolved
 * configuration (ports, embedded database and Temporal addresses, secret key) to the processes it starts.
 */
export function configToEnv(config: CairnConfig): Record<string, string> {
  const env: Record<string, string | undefined> = {
    NODE_ENV: config.env,
    CAIRN_DATA_DIR: config.dataDir,
    CAIRN_BIND_HOST: config.bindHost,
    CAIRN_API_PORT: String(config.api.port),
    CAIRN_WEB_PORT: String(config.web.port),
    CAIRN_API_WORKERS: String(config.api.workers),
    CAIRN_INGEST_MAX_LAG_SECONDS: String(config.ingest.maxLagMs / 1000),
    CAIRN_PUBLIC_URL: config.web.publicUrl,
    CAIRN_API_URL: config.api.url,
    DATABASE_URL: config.databaseUrl,
    CAIRN_EMBEDDED_PG_PORT: String(config.embeddedPostgresPort),
    TEMPORAL_ADDRESS: config.temporal.address,
    TEMPORAL_NAMESPACE: config.temporal.namespace,
    TEMPORAL_TASK_QUEUE: config.temporal.taskQueue,
    TEMPORAL_CLI_PATH: config.temporal.cliPath,
    CAIRN_TEMPORAL_PORT: String(config.temporal.port),
    CAIRN_TEMPORAL_UI_PORT: String(config.temporal.uiPort),
    CAIRN_SECRET_KEY: config.secretKey?.toString('base64'),
    CAIRN_COOKIE_SECURE: String(config.cookieSecure),
    CAIRN_SESSION_TTL_HOURS: String(config.sessionTtlHours),
    CAIRN_LOG_LEVEL: config.logLevel,
    CAIRN_DEMO: String(config.demo.enabled),
    CAIRN_DEMO_PASSWORD: config.demo.password,
    CAIRN_SANDBOX_HUBSPOT_PORT: String(config.sandboxPorts.hubspot),
    CAIRN_SANDBOX_SALESFORCE_PORT: String(config.sandboxPorts.salesforce),
    HUBSPOT_CLIENT_ID: config.crm.hubspot?.clientId,
    HUBSPOT_CLIENT_SECRET: config.crm.hubspot?.clientSecret,
    HUBSPOT_API_URL: config.crm.hubspot?.apiUrl,
    HUBSPOT_AUTHORIZE_URL: config.crm.hubspot?.authorizeUrl,
    SALESFORCE_CLIENT_ID: config.crm.salesforce?.clientId,
    SALESFORCE_CLIENT_SECRET: config.crm.salesforce?.clientSecret,
    SALESFORCE_LOGIN_URL: config.crm.salesforce?.loginUrl,
  };
  return Object.fromEntries(Object.entries(env).filter((e): e is [string, string] => e[1] !== undefined));
}
