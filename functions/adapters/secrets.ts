import { GetSecretValueCommand, type SecretsManagerClient } from "@aws-sdk/client-secrets-manager";

/**
 * A secret's value, read once per container and kept for its life: the link key never changes while a round's links
 * are out (rotating it would kill every link already emailed).
 */
export class SecretValue {
  private value?: Promise<string>;

  constructor(
    private readonly client: SecretsManagerClient,
    private readonly secretId: string,
  ) {}

  /** The secret string; a failed read is tried again on the next call rather than kept. */
  get(): Promise<string> {
    this.value ??= this.client.send(new GetSecretValueCommand({ SecretId: this.secretId })).then(
      (result) => {
        if (!result.SecretString) throw new Error(`Secret ${this.secretId} has no string value`);
        return result.SecretString;
      },
      (error: unknown) => {
        this.value = undefined;
        throw error;
      },
    );
    return this.value;
  }
}
