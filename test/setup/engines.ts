import chromiumBinary from "@sparticuz/chromium";
import type { TestProject } from "vitest/node";
import { startDynamoDbLocal } from "../../local/engines/dynamodb.ts";

declare module "vitest" {
  export interface ProvidedContext {
    dynamodbEndpoint: string;
    chromiumPath: string;
  }
}

/**
 * One DynamoDB Local (the official engine, in memory) for the whole run; each test file creates its own tables
 * under its own prefix. SES and S3 emulators are cheap and start per file, inside the local stack. Chromium is
 * unpacked here, once, so that test files running in parallel never unpack it over each other.
 */
export default async function setup(project: TestProject) {
  const [dynamodb, chromiumPath] = await Promise.all([startDynamoDbLocal(), chromiumBinary.executablePath()]);
  project.provide("dynamodbEndpoint", dynamodb.endpoint);
  project.provide("chromiumPath", chromiumPath);
  return () => dynamodb.stop();
}
