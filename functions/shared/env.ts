/** Configuration the functions read from their environment, parsed once with zod (names in functions/manifest.ts). */
import * as z from 'zod';
import { ENV } from '../manifest.ts';

const envSchema = z.object({
  [ENV.tableName]: z.string().min(1),
  [ENV.senderEmail]: z.string().default('surveys@ankieta.local'),
  [ENV.sesConfigurationSet]: z.string().optional(),
  [ENV.alertsTopicArn]: z.string().default('arn:aws:sns:local:000000000000:ankieta-alerts'),
  [ENV.publicBaseUrl]: z.url().default('http://localhost:3000'),
  [ENV.linkSecret]: z.string().min(32).optional(),
  [ENV.linkSecretArn]: z.string().optional(),
  [ENV.delayScale]: z.coerce.number().positive().default(1),
  BRAND_NAME: z.string().default('ankieta shop'),
  DASHBOARD_URL: z.string().optional(),
});

export type Env = {
  tableName: string;
  senderEmail: string;
  sesConfigurationSet?: string;
  alertsTopicArn: string;
  publicBaseUrl: string;
  linkSecret?: string;
  linkSecretArn?: string;
  delayScale: number;
  brand: string;
};

let cached: Env | undefined;

export function env(): Env {
  if (cached) return cached;
  const parsed = envSchema.safeParse(process.env);
  if (!parsed.success) {
    throw new Error(`Invalid function configuration: ${parsed.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`).join('; ')}`);
  }
  const e = parsed.data;
  cached = {
    tableName: e[ENV.tableName],
    senderEmail: e[ENV.senderEmail],
    sesConfigurationSet: e[ENV.sesConfigurationSet],
    alertsTopicArn: e[ENV.alertsTopicArn],
    publicBaseUrl: e[ENV.publicBaseUrl].replace(/\/$/, ''),
    linkSecret: e[ENV.linkSecret],
    linkSecretArn: e[ENV.linkSecretArn],
    delayScale: e[ENV.delayScale],
    brand: e.BRAND_NAME,
  };
  return cached;
}

/** For tests and the local runtime, which set the environment after import. */
export function resetEnvCache(): void {
  cached = undefined;
}
