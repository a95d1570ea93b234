/** Wiring of the alert functions (raiseAlerts, trackHealth, alertSweep, alertsApi): rules, model and ports from the environment. */
import { configureChurnRisk, type ChurnRiskModel } from '#surveys/churn-risk.ts';
import { DEFAULT_ALERT_RULES, type AlertRules, type NotifyDeps } from '#surveys/use-cases/alert-lifecycle.ts';
import { DynamoHealthStore } from '#functions/adapters/dynamodb/health-store.ts';
import { SnsAlertPublisher } from '#functions/adapters/sns/sns-publishers.ts';
import { dynamoDocumentClient, snsClient } from '#functions/shared/clients.ts';
import { alertStore, erasureLedger, lazy, systemClock } from '#functions/shared/deps.ts';
import { env } from '#functions/shared/env.ts';

/** The alert rules, with ALERT_* settings over the defaults. */
export const alertRules = /* @__PURE__ */ lazy((config): AlertRules => {
  const a = config.alerts;
  return {
    ...DEFAULT_ALERT_RULES,
    ...(a.commentWaitSeconds !== undefined ? { commentWaitSeconds: a.commentWaitSeconds } : {}),
    ...(a.ackDeadlineSeconds !== undefined ? { ackDeadlineSeconds: a.ackDeadlineSeconds } : {}),
    ...(a.maxReminders !== undefined ? { maxReminders: a.maxReminders } : {}),
  };
});

/** The churn-risk model with CHURN_ALERT_THRESHOLD and CHURN_RISK_WEIGHTS applied; a bad value stops the function with its reason. */
export const churnModel = /* @__PURE__ */ lazy((config): ChurnRiskModel => {
  const a = config.alerts;
  let weights: Record<string, number> | undefined;
  if (a.churnWeights) {
    try {
      weights = JSON.parse(a.churnWeights) as Record<string, number>;
    } catch {
      throw new Error('Invalid function configuration: CHURN_RISK_WEIGHTS must be a JSON object such as {"refund":25}');
    }
  }
  return configureChurnRisk({ alertThreshold: a.churnThreshold, weights });
});

// Facts older than keepFactsDays leave the profile: a health item untouched that long holds nothing that counts (docs/cost.md "Storage by need").
export const healthStore = /* @__PURE__ */ lazy(
  (config) => new DynamoHealthStore(dynamoDocumentClient(), config.tableName, Math.min(config.retentionDays, churnModel().keepFactsDays)),
);
const alertPublisher = /* @__PURE__ */ lazy((config) => new SnsAlertPublisher(snsClient(), config.alertsTopicArn));

/** What every notifier needs: the store, the topic, the clock, the rules, the leads' language and the dashboard. */
export function notifyDeps(): NotifyDeps {
  const config = env();
  return {
    alerts: alertStore(),
    publisher: alertPublisher(),
    now: systemClock,
    rules: alertRules(),
    language: config.alerts.language,
    dashboardUrl: config.alerts.dashboardUrl,
    erasure: erasureLedger(),
  };
}
