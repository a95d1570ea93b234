/**
 * Bundles only (aliased for @aws-sdk/credential-provider-node in infra/constructs/house-function.ts):
 * on Lambda the execution role's credentials are always in the environment, so the SDK's full
 * default chain (SSO, INI files, web identity, and the STS/SSO clients they pull in, ~80 KB) is dead
 * weight in every bundle. Local runs are not bundled and keep the full chain.
 */
import { fromEnv } from '@aws-sdk/credential-provider-env';

export const defaultProvider = (init?: Parameters<typeof fromEnv>[0]) => fromEnv(init);
