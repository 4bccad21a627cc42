import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { LocalStack } from "../../local/stack.ts";
import { LOCAL_REGION } from "../../local/template.ts";
import { runCli } from "../helpers/cli.ts";
import { startTestStack } from "../helpers/local-stack.ts";
import { PLAN_ID } from "../helpers/rounds.ts";

// `pdca --target aws` against the local stack's endpoints, as it would run against a deployed stack: it finds the
// table and the workflows from the stacks' outputs (CloudFormation's DescribeStacks), through the SDK's standard
// endpoint settings, with no data directory and no local stack file.

let stack: LocalStack;
let aws: Record<string, string>;

beforeAll(async () => {
  stack = await startTestStack();
  aws = {
    AWS_REGION: LOCAL_REGION,
    AWS_ACCESS_KEY_ID: "S3RVER",
    AWS_SECRET_ACCESS_KEY: "S3RVER",
    AWS_ENDPOINT_URL_CLOUDFORMATION: stack.urls.cloudFormation,
    AWS_ENDPOINT_URL_DYNAMODB: stack.urls.dynamodb,
    AWS_ENDPOINT_URL_SFN: stack.urls.sfn,
  };
});
afterAll(() => stack?.stop());

const target = ["--target", "aws", "--region", LOCAL_REGION, "--data-dir", "/nonexistent"];

describe("pdca --target aws", () => {
  it("starts a round and reads its status from the stacks' outputs", async () => {
    const started = await runCli(
      [
        "round",
        "start",
        "--plan",
        PLAN_ID,
        "--fiscal-year",
        "2022",
        "--quarter",
        "2",
        "--deadline-minutes",
        "30",
        ...target,
      ],
      aws,
    );
    expect(started.stderr).toBe("");
    expect(started.stdout).toContain("照会を開始しました");
    await expect
      .poll(async () => (await stack.table.requests.listRequests(PLAN_ID, 2022, 2)).length, { timeout: 20_000 })
      .toBe(5);
    const status = await runCli(
      ["round", "status", "--plan", PLAN_ID, "--fiscal-year", "2022", "--quarter", "2", "--json", ...target],
      aws,
    );
    expect(status.code).toBe(0);
    const parsed = JSON.parse(status.stdout) as { round: { status: string }; requests: unknown[] };
    expect(parsed.round.status).toBe("open");
    expect(parsed.requests).toHaveLength(5);
  }, 120_000);

  it("says plainly when the stack does not exist, or no region is given", async () => {
    const noStack = await runCli(
      ["round", "status", "--plan", PLAN_ID, "--fiscal-year", "2022", "--quarter", "2", ...target, "--stack", "Nope"],
      aws,
    );
    expect(noStack.code).not.toBe(0);
    expect(noStack.stderr).toContain("スタック Nope が見つかりません");
    const { AWS_REGION: _region, ...withoutRegion } = aws;
    const noRegion = await runCli(["review", "--plan", PLAN_ID, "--fiscal-year", "2022", "--target", "aws"], {
      ...withoutRegion,
      AWS_REGION: "",
      AWS_DEFAULT_REGION: "",
    });
    expect(noRegion.code).not.toBe(0);
    expect(noRegion.stderr).toContain("--region を指定してください");
  }, 120_000);
});
