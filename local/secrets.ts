/**
 * The local host of Secrets Manager for endpoint connections: enough of its JSON protocol
 * (`x-amz-target: secretsmanager.<Action>`: CreateSecret, GetSecretValue, DeleteSecret) for the real
 * adapter to run unchanged. Kept in dataDir (mode 600) between runs, else in memory.
 */
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { randomUUID } from 'node:crypto';

export class LocalSecrets {
  private readonly secrets = new Map<string, string>();

  constructor(private readonly file?: string) {
    if (file && existsSync(file)) for (const [k, v] of Object.entries(JSON.parse(readFileSync(file, 'utf8')) as Record<string, string>)) this.secrets.set(k, v);
  }

  private save(): void {
    if (this.file) writeFileSync(this.file, JSON.stringify(Object.fromEntries(this.secrets)), { mode: 0o600 });
  }

  handle(target: string, body: string): { status: number; body: unknown } {
    const action = target.replace(/^secretsmanager\./, '');
    const input = JSON.parse(body || '{}') as Record<string, string>;
    const name = input.Name ?? input.SecretId ?? '';
    const arn = `arn:aws:secretsmanager:local:000000000000:secret:${name}`;
    const missing = { status: 400, body: { __type: 'ResourceNotFoundException', message: `Secrets Manager can't find the specified secret.` } };
    switch (action) {
      case 'CreateSecret':
        if (this.secrets.has(name)) return { status: 400, body: { __type: 'ResourceExistsException', message: `The secret ${name} already exists.` } };
        this.secrets.set(name, input.SecretString ?? '');
        this.save();
        return { status: 200, body: { ARN: arn, Name: name, VersionId: randomUUID() } };
      case 'GetSecretValue':
        if (!this.secrets.has(name)) return missing;
        return { status: 200, body: { ARN: arn, Name: name, SecretString: this.secrets.get(name), VersionId: 'local', CreatedDate: Date.now() / 1000 } };
      case 'DeleteSecret':
        if (!this.secrets.delete(name)) return missing;
        this.save();
        return { status: 200, body: { ARN: arn, Name: name, DeletionDate: Date.now() / 1000 } };
      default:
        return { status: 400, body: { __type: 'InvalidRequestException', message: `local Secrets Manager does not support ${action}` } };
    }
  }
}
