import type { TestProject } from "vitest/node";
import { startDynamoDbLocal } from "../../local/engines/dynamodb.ts";

declare module "vitest" {
  export interface ProvidedContext {
    dynamodbEndpoint: string;
  }
}

/**
 * One DynamoDB Local (the official engine, in memory) for the whole run; each test file creates its own tables
 * under its own prefix. SES and S3 emulators are cheap and start per file, inside the local stack.
 */
export default async function setup(project: TestProject) {
  const dynamodb = await startDynamoDbLocal();
  project.provide("dynamodbEndpoint", dynamodb.endpoint);
  return () => dynamodb.stop();
}
