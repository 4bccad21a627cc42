import { SecretsManagerClient } from "@aws-sdk/client-secrets-manager";

/** The Secrets Manager client shared by a container's adapters (endpoint from AWS_ENDPOINT_URL_SECRETS_MANAGER). */
export const secretsManagerClient = new SecretsManagerClient({});
