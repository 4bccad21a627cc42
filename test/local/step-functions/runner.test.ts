import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import type { MachineDefinition } from "../../../local/step-functions/definition.ts";
import { longSleep, MAX_TIMER_MS } from "../../../local/step-functions/long-timer.ts";
import { LocalStepFunctions } from "../../../local/step-functions/runner.ts";

// The runner on aws-local-stepfunctions (the engine under test) with timeouts and waits past 24.8 days, the longest
// a Node timer holds. Fake timers let a month pass in milliseconds. The Lambda behind the task is a stand-in that
// keeps the task token: no engine runs Lambdas locally, the runner calls functions in process.

const DAY_MS = 24 * 60 * 60 * 1000;
const ARN = "arn:aws:states:ap-northeast-1:000000000000:stateMachine:Long";

/** A task that waits for its token for `$.waitSeconds`, then answered or timed out (caught, as the workflows do). */
const waitForAnswer: MachineDefinition = {
  StartAt: "WaitForAnswer",
  States: {
    WaitForAnswer: {
      Type: "Task",
      Resource: "arn:aws:states:::lambda:invoke.waitForTaskToken",
      Parameters: { FunctionName: "remember-token", Payload: { "token.$": "$$.Task.Token" } },
      TimeoutSecondsPath: "$.waitSeconds",
      ResultPath: "$.answer",
      Catch: [{ ErrorEquals: ["States.Timeout"], ResultPath: "$.timeout", Next: "TimedOut" }],
      End: true,
    },
    TimedOut: { Type: "Pass", End: true },
  },
};

let tokens: string[];
let runner: LocalStepFunctions;

beforeEach(() => {
  vi.useFakeTimers();
  tokens = [];
  runner = new LocalStepFunctions(async (_arn, payload) => {
    tokens.push((payload as { token: string }).token);
    return null;
  });
});
afterEach(() => {
  runner.abortAll();
  vi.useRealTimers();
});

describe("longSleep", () => {
  it("fires after a delay longer than one timer holds, not before and not at once", async () => {
    let fired = false;
    void longSleep(30 * DAY_MS).then(() => {
      fired = true;
    });
    await vi.advanceTimersByTimeAsync(MAX_TIMER_MS + 1);
    expect(fired).toBe(false);
    await vi.advanceTimersByTimeAsync(30 * DAY_MS - MAX_TIMER_MS);
    expect(fired).toBe(true);
  });

  it("resolves false at once when aborted", async () => {
    const abort = new AbortController();
    const sleeping = longSleep(30 * DAY_MS, abort.signal);
    abort.abort();
    await expect(sleeping).resolves.toBe(false);
  });
});

describe("a task whose timeout is past 24.8 days", () => {
  it("keeps waiting past 24.8 days and takes its answer", async () => {
    runner.addStateMachine(ARN, "Long", waitForAnswer);
    const execution = runner.startExecution(ARN, { waitSeconds: (30 * DAY_MS) / 1000 });
    await vi.advanceTimersByTimeAsync(26 * DAY_MS);
    expect(execution.status).toBe("RUNNING");
    expect(runner.pendingTaskCount()).toBe(1);
    // The engine was handed the same call back, not a second one: the function ran once, one token waits.
    expect(tokens).toHaveLength(1);

    runner.sendTaskSuccess(tokens[0] as string, JSON.stringify({ answered: true }));
    await vi.advanceTimersByTimeAsync(1_000);
    expect(execution.status).toBe("SUCCEEDED");
    expect(JSON.parse(execution.output ?? "{}")).toEqual({ waitSeconds: 2_592_000, answer: { answered: true } });
  });

  it("times out at its own timeout, not at the engine's 24.8 days", async () => {
    runner.addStateMachine(ARN, "Long", waitForAnswer);
    const execution = runner.startExecution(ARN, { waitSeconds: (30 * DAY_MS) / 1000 });
    await vi.advanceTimersByTimeAsync(30 * DAY_MS - 60_000);
    expect(execution.status).toBe("RUNNING");
    await vi.advanceTimersByTimeAsync(120_000);
    expect(execution.status).toBe("SUCCEEDED");
    expect(JSON.parse(execution.output ?? "{}").timeout).toEqual({ Error: "States.Timeout", Cause: "Task timed out" });
    expect(execution.states).toEqual(["WaitForAnswer", "TimedOut"]);
    expect(() => runner.sendTaskSuccess(tokens[0] as string, "{}")).toThrow("Task timed out");
  });
});

describe("a Wait state past 24.8 days", () => {
  it("waits the whole time, then goes on", async () => {
    runner.addStateMachine(ARN, "Long", {
      StartAt: "WaitForMonth",
      States: {
        WaitForMonth: { Type: "Wait", Seconds: (40 * DAY_MS) / 1000, Next: "Done" },
        Done: { Type: "Succeed" },
      },
    });
    const execution = runner.startExecution(ARN, {});
    await vi.advanceTimersByTimeAsync(39 * DAY_MS);
    expect(execution.status).toBe("RUNNING");
    await vi.advanceTimersByTimeAsync(DAY_MS + 1_000);
    expect(execution.status).toBe("SUCCEEDED");
    expect(execution.states).toEqual(["WaitForMonth", "Done"]);
  });
});
