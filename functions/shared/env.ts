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
  [ENV.dashboardUrl]: z.url().optional(),
  [ENV.alertCommentWaitSeconds]: z.coerce.number().nonnegative().optional(),
  [ENV.alertAckDeadlineSeconds]: z.coerce.number().positive().optional(),
  [ENV.alertMaxReminders]: z.coerce.number().int().nonnegative().optional(),
  [ENV.alertLanguage]: z.enum(['en', 'pl']).default('en'),
  [ENV.churnAlertThreshold]: z.coerce.number().min(1).max(100).optional(),
  [ENV.churnRiskWeights]: z.string().optional(), // JSON { signal: weight }, checked by configureChurnRisk
  [ENV.zendeskPhoneRegion]: z
    .string()
    .regex(/^[A-Z]{2}$/, 'a two-letter region code such as PL')
    .optional(),
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
  /** Region of Zendesk phone numbers written without a country code. */
  zendeskPhoneRegion?: string;
  /** Alert settings; unset values take the defaults of surveys/use-cases/alert-lifecycle.ts and surveys/churn-risk.ts. */
  alerts: {
    dashboardUrl: string;
    commentWaitSeconds?: number;
    ackDeadlineSeconds?: number;
    maxReminders?: number;
    language: 'en' | 'pl';
    churnThreshold?: number;
    churnWeights?: string;
  };
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
    zendeskPhoneRegion: e[ENV.zendeskPhoneRegion],
    alerts: {
      dashboardUrl: e[ENV.dashboardUrl]?.replace(/\/$/, '') ?? `${e[ENV.publicBaseUrl].replace(/\/$/, '')}/dashboard`,
      commentWaitSeconds: e[ENV.alertCommentWaitSeconds],
      ackDeadlineSeconds: e[ENV.alertAckDeadlineSeconds],
      maxReminders: e[ENV.alertMaxReminders],
      language: e[ENV.alertLanguage],
      churnThreshold: e[ENV.churnAlertThreshold],
      churnWeights: e[ENV.churnRiskWeights],
    },
  };
  return cached;
}

/** For tests and the local runtime, which set the environment after import. */
export function resetEnvCache(): void {
  cached = undefined;
}
