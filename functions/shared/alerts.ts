/** Wiring of the alert functions (raiseAlerts, trackHealth, alertSweep, alertsApi): rules, model and ports from the environment. */
import { configureChurnRisk, type ChurnRiskModel } from '#surveys/churn-risk.ts';
import { DEFAULT_ALERT_RULES, type AlertRules, type NotifyDeps } from '#surveys/use-cases/alert-lifecycle.ts';
import { DynamoHealthStore } from '../adapters/dynamodb/health-store.ts';
import { SnsAlertPublisher } from '../adapters/sns/sns-publishers.ts';
import { dynamoDocumentClient, snsClient } from './clients.ts';
import { alertStore, systemClock } from './deps.ts';
import { env, type Env } from './env.ts';

// Derived from env() and rebuilt when it is (the local runtime and tests reset the environment).
let derivedFrom: Env | undefined;
let rules: AlertRules | undefined;
let model: ChurnRiskModel | undefined;
let health: DynamoHealthStore | undefined;

function fresh(): void {
  if (derivedFrom === env()) return;
  derivedFrom = env();
  rules = undefined;
  model = undefined;
  health = undefined;
}

export function alertRules(): AlertRules {
  fresh();
  const a = env().alerts;
  rules ??= {
    ...DEFAULT_ALERT_RULES,
    ...(a.commentWaitSeconds !== undefined ? { commentWaitSeconds: a.commentWaitSeconds } : {}),
    ...(a.ackDeadlineSeconds !== undefined ? { ackDeadlineSeconds: a.ackDeadlineSeconds } : {}),
    ...(a.maxReminders !== undefined ? { maxReminders: a.maxReminders } : {}),
  };
  return rules;
}

/** The churn-risk model with CHURN_ALERT_THRESHOLD and CHURN_RISK_WEIGHTS applied; a bad value stops the function with its reason. */
export function churnModel(): ChurnRiskModel {
  fresh();
  if (model) return model;
  const a = env().alerts;
  let weights: Record<string, number> | undefined;
  if (a.churnWeights) {
    try {
      weights = JSON.parse(a.churnWeights) as Record<string, number>;
    } catch {
      throw new Error('Invalid function configuration: CHURN_RISK_WEIGHTS must be a JSON object such as {"refund":25}');
    }
  }
  model = configureChurnRisk({ alertThreshold: a.churnThreshold, weights });
  return model;
}

export function healthStore(): DynamoHealthStore {
  fresh();
  health ??= new DynamoHealthStore(dynamoDocumentClient(), env().tableName);
  return health;
}

/** What every notifier needs: the store, the topic, the clock, the rules, the leads' language and the dashboard. */
export function notifyDeps(): NotifyDeps {
  const config = env();
  return {
    alerts: alertStore(),
    publisher: new SnsAlertPublisher(snsClient(), config.alertsTopicArn),
    now: systemClock,
    rules: alertRules(),
    language: config.alerts.language,
    dashboardUrl: config.alerts.dashboardUrl,
  };
}
