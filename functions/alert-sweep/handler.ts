/**
 * Every minute (every second locally): sends the alerts whose comment wait is over, reminds the leads
 * of alerts nobody acknowledged, and looks again at customers whose churn risk may have risen by time
 * alone (a frequent buyer gone quiet).
 */
import middy from '@middy/core';
import { sweepAlerts } from '#surveys/use-cases/alert-lifecycle.ts';
import { trackHealth } from '#surveys/use-cases/track-health.ts';
import { churnModel, healthStore, notifyDeps } from '#functions/shared/alerts.ts';
import { customerHistory, systemClock } from '#functions/shared/deps.ts';
import { injectLambdaContext, logger } from '#functions/shared/logger.ts';
import { contactHashKey } from '#functions/shared/middlewares/contact-hash-key.ts';

/** Customers rechecked per run: the sweep runs every minute and must finish well within it. */
const RECHECKS_PER_RUN = 50;

async function alertSweep() {
  const deps = notifyDeps();
  const alerts = await sweepAlerts({
    ...deps,
    onError: (alertId, error) => logger.error('alert notification failed; retried next run', { alertId, error: error as Error }),
  });
  let rechecked = 0;
  let recheckFailures = 0;
  for (const customerId of await healthStore().listHealthRechecks(systemClock().toISOString(), RECHECKS_PER_RUN)) {
    try {
      await trackHealth(customerId, undefined, { ...deps, health: healthStore(), customers: customerHistory(), model: churnModel() });
      rechecked++;
    } catch (error) {
      recheckFailures++;
      logger.error('churn-risk recheck failed; retried next run', { error: error as Error });
    }
  }
  const summary = { ...alerts, rechecked, recheckFailures };
  if (summary.due || rechecked) logger.info('alert sweep', summary);
  return summary;
}

export const handler = middy(alertSweep).use(injectLambdaContext(logger)).use(contactHashKey());
