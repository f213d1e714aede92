import { z } from 'zod';

const port = z.coerce.number().int().min(1).max(65535);
const bool = z
  .enum(['true', 'false', '1', '0', 'yes', 'no'])
  .transform((v) => v === 'true' || v === '1' || v === 'yes');
const optionalUrl = (protocols: string[]) =>
  z
    .string()
    .url()
    .refine((v) => protocols.some((p) => v.startsWith(`${p}:`)), {
      message: `must start with ${protocols.map((p) => `${p}://`).join(' or ')}`,
    })
    .optional();

/**
 * Every environment variable Cairn reads. The keys are the variable names, so the deployment files can be
 * checked against this list (infra/test/compose.test.ts reads it).
 */
export const envSchema = z.object({
  NODE_ENV: z.enum(['development', 'production', 'test']).default('development'),
  CAIRN_DATA_DIR: z.string().min(1).default('.cairn'),
  CAIRN_BIND_HOST: z.string().min(1).default('127.0.0.1'),
  CAIRN_API_PORT: port.default(4000),
  CAIRN_WEB_PORT: port.default(3000),
  CAIRN_API_WORKERS: z.coerce.number().int().min(1).max(64).default(1),
  CAIRN_INGEST_MAX_LAG_SECONDS: z.coerce.number().positive().max(3600).default(30),
  CAIRN_PUBLIC_URL: optionalUrl(['http', 'https']),
  CAIRN_API_URL: optionalUrl(['http', 'https']),
  DATABASE_URL: optionalUrl(['postgres', 'postgresql']),
  CAIRN_EMBEDDED_PG_PORT: port.default(54329),
  TEMPORAL_ADDRESS: z
    .string()
    .regex(/^[^\s:]+:\d+$/, 'must be host:port, e.g. localhost:7233')
    .optional(),
  TEMPORAL_NAMESPACE: z.string().min(1).default('default'),
  TEMPORAL_TASK_QUEUE: z.string().min(1).default('cairn'),
  TEMPORAL_CLI_PATH: z.string().min(1).optional(),
  CAIRN_TEMPORAL_PORT: port.default(7233),
  CAIRN_TEMPORAL_UI_PORT: port.default(8233),
  CAIRN_SECRET_KEY: z
    .string()
    .refine((v) => Buffer.from(v, 'base64').length === 32, 'must be 32 bytes, base64-encoded')
    .optional(),
  CAIRN_COOKIE_SECURE: bool.default(true),
  CAIRN_SESSION_TTL_HOURS: z.coerce.number().positive().default(336),
  CAIRN_LOG_LEVEL: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info'),
  CAIRN_DEMO: bool.optional(),
  CAIRN_SANDBOX_HUBSPOT_PORT: port.default(4010),
  CAIRN_SANDBOX_SALESFORCE_PORT: port.default(4020),
  HUBSPOT_CLIENT_ID: z.string().min(1).optional(),
  HUBSPOT_CLIENT_SECRET: z.string().min(1).optional(),
  HUBSPOT_API_URL: optionalUrl(['http', 'https']),
  HUBSPOT_AUTHORIZE_URL: optionalUrl(['http', 'https']),
  SALESFORCE_CLIENT_ID: z.string().min(1).optional(),
  SALESFORCE_CLIENT_SECRET: z.string().min(1).optional(),
  SALESFORCE_LOGIN_URL: optionalUrl(['http', 'https']),
  CAIRN_DEMO_PASSWORD: z.string().min(12, 'must be at least 12 characters').default('cairn-demo-pass'),
});

export type Env = z.infer<typeof envSchema>;
