import { randomUUID } from "node:crypto";
import { SFNClient } from "@aws-sdk/client-sfn";
import { inject } from "vitest";
import type { Plan } from "../../domain/plan.ts";
import { type LocalStack, type LocalStackOptions, startLocalStack } from "../../local/stack.ts";
import { LOCAL_REGION } from "../../local/template.ts";

/**
 * A local stack of its own for one test file, on the run's shared DynamoDB Local, under a fresh table prefix; with
 * `dataDir`, the CLI finds it there as it finds `npm start`.
 */
export function startTestStack(
  plans?: Plan[],
  options: Pick<LocalStackOptions, "dataDir" | "plansDirectory"> = {},
): Promise<LocalStack> {
  return startLocalStack({
    dynamodbEndpoint: inject("dynamodbEndpoint"),
    prefix: `t${randomUUID().slice(0, 8)}-`,
    resumeOpenRounds: false,
    plans,
    ...options,
  });
}

/** An SDK client of the stack's Step Functions API, as an outside program would make one; destroy it when done. */
export function sfnClientOf(stack: LocalStack): SFNClient {
  return new SFNClient({
    endpoint: stack.urls.sfn,
    region: LOCAL_REGION,
    credentials: { accessKeyId: "local", secretAccessKey: "local" },
  });
}
