import { describe, expect, it } from "vitest";
import type { MachineDefinition } from "../../../local/step-functions/definition.ts";
import { STEP_FUNCTIONS_QUOTAS } from "../../../local/step-functions/quotas.ts";
import { LocalStepFunctions } from "../../../local/step-functions/runner.ts";

// The local runner refuses what Step Functions Standard refuses, the way it refuses it. The Lambda behind the tasks
// is a stand-in function (no engine runs Lambdas locally; the runner calls functions in process).

const ARN = "arn:aws:states:ap-northeast-1:000000000000:stateMachine:Quotas";

function runnerWith(definition: MachineDefinition, invoke: (payload: unknown) => Promise<unknown> = async () => null) {
  const runner = new LocalStepFunctions((_arn, payload) => invoke(payload));
  runner.addStateMachine(ARN, "Quotas", definition);
  return runner;
}

describe("Step Functions quotas on the local runner", () => {
  it("fails an execution whose state output passes 256 KiB with States.DataLimitExceeded", async () => {
    const runner = runnerWith({
      StartAt: "Grow",
      States: {
        Grow: { Type: "Pass", Parameters: { "big.$": "$.text" }, Next: "Done" },
        Done: { Type: "Succeed" },
      },
    } as MachineDefinition);
    const justUnder = "あ".repeat(Math.floor((STEP_FUNCTIONS_QUOTAS.maxPayloadBytes - 100) / 3));
    const fits = runner.startExecution(ARN, { text: justUnder.slice(0, 80_000) });
    expect((await runner.waitForExecution(fits.executionArn, 10_000)).status).toBe("SUCCEEDED");
    const tooBig = runner.startExecution(ARN, { text: `${justUnder}${"あ".repeat(100)}` });
    const failed = await runner.waitForExecution(tooBig.executionArn, 10_000);
    expect(failed.status).toBe("FAILED");
    expect(failed.error).toBe("States.DataLimitExceeded");
    expect(failed.history.events.at(-1)?.type).toBe("ExecutionFailed");
  });

  it("fails an execution whose history passes 25,000 events, and lets one under it finish", async () => {
    // Each item of this Map adds four events: its iteration's start and end, the Pass state's entry and exit.
    const definition = {
      StartAt: "EachItem",
      States: {
        EachItem: {
          Type: "Map",
          ItemsPath: "$.items",
          ItemProcessor: { StartAt: "Touch", States: { Touch: { Type: "Pass", End: true } } },
          ResultPath: null,
          End: true,
        },
      },
    } as unknown as MachineDefinition;
    const runner = runnerWith(definition);
    const under = runner.startExecution(ARN, { items: Array.from({ length: 6_000 }, (_, i) => i) });
    const finished = await runner.waitForExecution(under.executionArn, 60_000);
    expect(finished.status).toBe("SUCCEEDED");
    expect(finished.history.events.length).toBeGreaterThan(24_000);
    expect(finished.history.events.length).toBeLessThanOrEqual(STEP_FUNCTIONS_QUOTAS.maxHistoryEvents);
    const over = runner.startExecution(ARN, { items: Array.from({ length: 6_300 }, (_, i) => i) });
    const failed = await runner.waitForExecution(over.executionArn, 60_000);
    expect(failed.status).toBe("FAILED");
    expect(failed.error).toBe("States.Runtime");
    expect(failed.history.events.length).toBe(STEP_FUNCTIONS_QUOTAS.maxHistoryEvents + 2);
  }, 120_000);

  it("runs at most 40 iterations of an inline Map at once, as AWS does, whatever the definition asks", async () => {
    let running = 0;
    let most = 0;
    const runner = runnerWith(
      {
        StartAt: "EachItem",
        States: {
          EachItem: {
            Type: "Map",
            ItemsPath: "$.items",
            ItemProcessor: {
              StartAt: "Call",
              States: {
                Call: {
                  Type: "Task",
                  Resource: "arn:aws:states:::lambda:invoke",
                  Parameters: { FunctionName: "slow", "Payload.$": "$" },
                  End: true,
                },
              },
            },
            End: true,
          },
        },
      } as unknown as MachineDefinition,
      async () => {
        running++;
        most = Math.max(most, running);
        await new Promise((resolve) => setTimeout(resolve, 30));
        running--;
        return null;
      },
    );
    const execution = runner.startExecution(ARN, { items: Array.from({ length: 100 }, (_, i) => ({ item: i })) });
    const finished = await runner.waitForExecution(execution.executionArn, 30_000);
    expect([finished.status, finished.error, finished.cause]).toEqual(["SUCCEEDED", undefined, undefined]);
    expect(most).toBe(STEP_FUNCTIONS_QUOTAS.inlineMapConcurrency);
  });
});
