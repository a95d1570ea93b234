/** The one Powertools logger of every function. Log ids and outcomes, never e-mail addresses, phones or comments. */
import { Logger } from '@aws-lambda-powertools/logger';

export const logger = new Logger({ serviceName: process.env.POWERTOOLS_SERVICE_NAME ?? 'ankieta' });
