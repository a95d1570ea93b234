/**
 * Endpoint connections (a Slack or Teams URL, a webhook's signing secret, a Zendesk token) in Secrets
 * Manager, one secret per endpoint named `<prefix><endpointId>`. Locally the runtime hosts a small
 * Secrets Manager endpoint (AWS_ENDPOINT_URL_SECRETS_MANAGER), so this same code runs there.
 * Read ones are cached for a minute per container: a delivery burst does not read the secret each time.
 */
import {
  CreateSecretCommand,
  DeleteSecretCommand,
  GetSecretValueCommand,
  ResourceNotFoundException,
  type SecretsManagerClient,
} from '@aws-sdk/client-secrets-manager';
import type { EndpointConnection } from '#surveys/outbound/endpoints.ts';
import type { EndpointSecrets } from '#surveys/outbound/ports.ts';

const CACHE_MS = 60_000;

export class SecretsManagerEndpointSecrets implements EndpointSecrets {
  private readonly cache = new Map<string, { value: EndpointConnection | undefined; until: number }>();

  constructor(
    private readonly client: SecretsManagerClient,
    private readonly prefix: string,
  ) {}

  private name(endpointId: string): string {
    return `${this.prefix}${endpointId}`;
  }

  async put(endpointId: string, connection: EndpointConnection): Promise<void> {
    await this.client.send(
      new CreateSecretCommand({
        Name: this.name(endpointId),
        SecretString: JSON.stringify(connection),
        Description: 'ankieta outbound endpoint connection (URL, signing secret or token)',
      }),
    );
  }

  async get(endpointId: string): Promise<EndpointConnection | undefined> {
    const cached = this.cache.get(endpointId);
    if (cached && cached.until > Date.now()) return cached.value;
    let value: EndpointConnection | undefined;
    try {
      const out = await this.client.send(new GetSecretValueCommand({ SecretId: this.name(endpointId) }));
      value = out.SecretString ? (JSON.parse(out.SecretString) as EndpointConnection) : undefined;
    } catch (error) {
      if (!(error instanceof ResourceNotFoundException) && (error as { name?: string }).name !== 'ResourceNotFoundException') throw error;
    }
    this.cache.set(endpointId, { value, until: Date.now() + CACHE_MS });
    return value;
  }

  async delete(endpointId: string): Promise<void> {
    this.cache.delete(endpointId);
    try {
      // A week to undo a mistaken deletion; the endpoint id is never reused.
      await this.client.send(new DeleteSecretCommand({ SecretId: this.name(endpointId), RecoveryWindowInDays: 7 }));
    } catch (error) {
      if ((error as { name?: string }).name !== 'ResourceNotFoundException') throw error;
    }
  }
}
