import { describe, expect, it } from "vitest";
import {
  ENGINE_TASK_TIMEOUT_SECONDS,
  forLocalEngine,
  KEEP_WAITING,
  LOCAL_WAIT_RESOURCE,
  type MachineDefinition,
  RUNNER_FIELDS,
  statesOf,
  waitMilliseconds,
} from "../../../local/step-functions/definition.ts";
import { MAX_TIMER_MS } from "../../../local/step-functions/long-timer.ts";
import { synthesize } from "../../../local/synth.ts";
import { TemplateResolver } from "../../../local/template.ts";

// The rewrite that lets aws-local-stepfunctions run definitions whose waits outlast a Node timer, checked on the
// parsed ASL of small definitions and of the synthesized QuarterlyCollection.

const DAY = 24 * 60 * 60;

function stateOf(definition: MachineDefinition, name: string) {
  const state = new Map(statesOf(definition.States)).get(name);
  if (!state) throw new Error(`no state ${name}`);
  return state;
}

describe("forLocalEngine", () => {
  it("moves TimeoutSecondsPath into the task's parameters, for the runner to time", () => {
    const { definition } = forLocalEngine({
      StartAt: "Wait",
      States: {
        Wait: {
          Type: "Task",
          Resource: "arn:aws:states:::lambda:invoke.waitForTaskToken",
          Parameters: { FunctionName: "f", Payload: { "token.$": "$$.Task.Token" } },
          TimeoutSecondsPath: "$.check.waitSeconds",
        },
      },
    });
    const task = stateOf(definition, "Wait");
    expect(task.TimeoutSecondsPath).toBeUndefined();
    expect(task.Parameters).toEqual({
      FunctionName: "f",
      Payload: { "token.$": "$$.Task.Token" },
      [`${RUNNER_FIELDS.timeoutSeconds}.$`]: "$.check.waitSeconds",
    });
  });

  it("gives every task a timeout a Node timer holds, and the hand-back retrier first", () => {
    const { definition } = forLocalEngine({
      StartAt: "Call",
      States: {
        Call: {
          Type: "Task",
          Resource: "arn:aws:lambda:ap-northeast-1:000000000000:function:f",
          TimeoutSeconds: 40 * DAY,
          Retry: [{ ErrorEquals: ["States.ALL"], MaxAttempts: 2 }],
        },
      },
    });
    const task = stateOf(definition, "Call");
    expect(task.Parameters).toEqual({ [RUNNER_FIELDS.timeoutSeconds]: 40 * DAY });
    expect(task.TimeoutSeconds).toBe(ENGINE_TASK_TIMEOUT_SECONDS);
    expect(ENGINE_TASK_TIMEOUT_SECONDS * 1000).toBeLessThanOrEqual(MAX_TIMER_MS);
    expect(task.Retry?.map((retrier) => retrier.ErrorEquals)).toEqual([[KEEP_WAITING], ["States.ALL"]]);
  });

  it("turns each kind of Wait state into a runner task that sleeps until the same time", () => {
    const { definition, synthesizedTypes } = forLocalEngine({
      StartAt: "ByPath",
      States: {
        ByPath: { Type: "Wait", TimestampPath: "$.round.deadline", Next: "ByTime" },
        ByTime: { Type: "Wait", Timestamp: "2031-04-01T00:00:00Z", Next: "BySecondsPath" },
        BySecondsPath: { Type: "Wait", SecondsPath: "$.seconds", Next: "BySeconds" },
        BySeconds: { Type: "Wait", Seconds: 30 * DAY, End: true },
      },
    });
    const parameters = Object.fromEntries(
      ["ByPath", "ByTime", "BySecondsPath", "BySeconds"].map((name) => [name, stateOf(definition, name).Parameters]),
    );
    expect(parameters).toEqual({
      ByPath: { [`${RUNNER_FIELDS.waitUntil}.$`]: "$.round.deadline" },
      ByTime: { [RUNNER_FIELDS.waitUntil]: "2031-04-01T00:00:00Z" },
      BySecondsPath: { [`${RUNNER_FIELDS.waitSeconds}.$`]: "$.seconds" },
      BySeconds: { [RUNNER_FIELDS.waitSeconds]: 30 * DAY },
    });
    for (const name of ["ByPath", "ByTime", "BySecondsPath", "BySeconds"]) {
      const state = stateOf(definition, name);
      expect(state).toMatchObject({ Type: "Task", Resource: LOCAL_WAIT_RESOURCE, ResultPath: null });
      expect(state.Timestamp ?? state.TimestampPath ?? state.Seconds ?? state.SecondsPath).toBeUndefined();
      expect(synthesizedTypes.get(name)).toBe("Wait");
    }
    // Next and End are kept, so the graph is the synthesized one.
    expect(stateOf(definition, "ByPath")).toMatchObject({ Next: "ByTime" });
    expect(stateOf(definition, "BySeconds")).toMatchObject({ End: true });
  });

  it("reads how long a rewritten wait sleeps from either field", () => {
    const now = Date.parse("2030-01-01T00:00:00Z");
    expect(waitMilliseconds({ [RUNNER_FIELDS.waitUntil]: "2030-02-01T00:00:00Z" }, now)).toBe(31 * DAY * 1000);
    expect(waitMilliseconds({ [RUNNER_FIELDS.waitSeconds]: 30 * DAY }, now)).toBe(30 * DAY * 1000);
  });

  it("drops an execution timeout past 24.8 days, and keeps a shorter one", () => {
    const long = forLocalEngine({ TimeoutSeconds: 120 * DAY, StartAt: "End", States: { End: { Type: "Succeed" } } });
    const short = forLocalEngine({ TimeoutSeconds: 7 * DAY, StartAt: "End", States: { End: { Type: "Succeed" } } });
    expect(long.definition.TimeoutSeconds).toBeUndefined();
    expect(short.definition.TimeoutSeconds).toBe(7 * DAY);
  });

  it("rewrites the synthesized workflows inside their Map states, leaving the originals untouched", () => {
    const resolver = new TemplateResolver(synthesize(), { prefix: "" });
    const synthesizedOf = (prefix: string) => {
      const [machine] = resolver
        .resourcesOfType("AWS::StepFunctions::StateMachine")
        .filter((resource) => resource.logicalId.startsWith(prefix));
      if (!machine) throw new Error(`no ${prefix} in the template`);
      return JSON.parse(resolver.resolve(machine.stack, machine.properties.DefinitionString) as string);
    };
    for (const prefix of ["QuarterlyCollection", "YearEndReview"]) {
      const synthesized = synthesizedOf(prefix);
      const before = JSON.stringify(synthesized);
      const { definition } = forLocalEngine(synthesized);
      expect(JSON.stringify(synthesized)).toBe(before);
      const original = new Map(statesOf((synthesized as MachineDefinition).States));
      // Every timeout path moves into the task's parameters, every Wait state becomes the runner's task.
      for (const [name, state] of original) {
        if (state.TimeoutSecondsPath)
          expect(stateOf(definition, name).Parameters?.[`${RUNNER_FIELDS.timeoutSeconds}.$`]).toBe(
            state.TimeoutSecondsPath,
          );
        if (state.Type === "Wait" && state.TimestampPath)
          expect(stateOf(definition, name)).toMatchObject({
            Type: "Task",
            Resource: LOCAL_WAIT_RESOURCE,
            Parameters: { [`${RUNNER_FIELDS.waitUntil}.$`]: state.TimestampPath },
          });
      }
      const remaining = statesOf(definition.States).filter(
        ([, state]) => state.Type === "Wait" || state.TimeoutSecondsPath,
      );
      expect(remaining).toEqual([]);
    }
    // The round's Wait for its next moment, and the approvals' timeouts, are among them.
    expect(new Map(statesOf(synthesizedOf("QuarterlyCollection").States)).get("WaitForMoment")?.TimestampPath).toBe(
      "$.next.at",
    );
    expect(JSON.stringify(synthesizedOf("YearEndReview"))).toContain("TimeoutSecondsPath");
  });
});
