/** The one classification of provider send errors (SES, SNS) into the domain's SendError. */
import { SendError } from '#surveys/ports.ts';

/** A provider error as a SendError: throttled, permanent, or (anything else: network, 5xx) transient. */
export function classifySendError(provider: string, error: unknown, throttling: readonly string[], permanent: readonly string[]): SendError {
  const name = (error as Error)?.name ?? 'Error';
  const message = `${provider} ${name}: ${(error as Error)?.message ?? String(error)}`;
  // The SDK marks throttling it recognised itself ($retryable.throttling), whatever the error's name.
  const sdkThrottling = Boolean((error as { $retryable?: { throttling?: boolean } })?.$retryable?.throttling);
  if (throttling.includes(name) || sdkThrottling) return new SendError(message, false, true);
  return new SendError(message, permanent.includes(name));
}
