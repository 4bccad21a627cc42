import {
  DescribeStateMachineCommand,
  GetExecutionHistoryCommand,
  type HistoryEvent,
  InvalidName,
  ListExecutionsCommand,
  ListStateMachinesCommand,
  paginateGetExecutionHistory,
  paginateListStateMachines,
  type SFNClient,
  StartExecutionCommand,
  StateMachineDoesNotExist,
} from "@aws-sdk/client-sfn";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { LocalStack } from "../../../local/stack.ts";
import { sfnClientOf, startTestStack } from "../../helpers/local-stack.ts";
import { PLAN_ID, startRoundAndCollectLinks } from "../../helpers/rounds.ts";

// An outside SDK client (the real SFNClient) finding the state machines of a fresh local stack, reading one's
// definition, and reading executions' histories page by page, as it would on AWS.

let stack: LocalStack;
let sfn: SFNClient;

beforeAll(async () => {
  stack = await startTestStack();
  sfn = sfnClientOf(stack);
});
afterAll(async () => {
  sfn?.destroy();
  await stack?.stop();
});

/** Runs a YearEndReview for a year with no rounds: it asks the secretariat and ends, a short finished execution. */
async function finishedReview(): Promise<string> {
  const { executionArn = "" } = await sfn.send(
    new StartExecutionCommand({
      stateMachineArn: stack.reviewArn,
      name: `history-${Date.now()}`,
      input: JSON.stringify({ planId: PLAN_ID, fiscalYear: 2022 }),
    }),
  );
  await stack.stepFunctions.waitForExecution(executionArn, 30_000);
  return executionArn;
}

async function wholeHistory(executionArn: string, pageSize: number): Promise<HistoryEvent[]> {
  const events: HistoryEvent[] = [];
  for await (const page of paginateGetExecutionHistory(
    { client: sfn, pageSize },
    { executionArn, maxResults: pageSize },
  ))
    events.push(...(page.events ?? []));
  return events;
}

describe("ListStateMachines and DescribeStateMachine", () => {
  it("find every workflow's ARN on a fresh stack, one page at a time", async () => {
    const listed = await sfn.send(new ListStateMachinesCommand({}));
    expect(listed.stateMachines?.map((machine) => machine.stateMachineArn).sort()).toEqual(
      [stack.collectionArn, stack.reviewArn, stack.remindArn].sort(),
    );
    for (const machine of listed.stateMachines ?? []) {
      expect(machine.type).toBe("STANDARD");
      expect(machine.creationDate).toBeInstanceOf(Date);
      expect(machine.stateMachineArn?.endsWith(`:stateMachine:${machine.name}`)).toBe(true);
    }
    const pages = [];
    for await (const page of paginateListStateMachines({ client: sfn, pageSize: 1 }, {})) pages.push(page);
    expect(pages.map((page) => page.stateMachines?.length)).toEqual([1, 1, 1]);
    expect(pages[0]?.nextToken).toEqual(expect.any(String));
  });

  it("describes a workflow with its synthesized definition, role, logging and tracing", async () => {
    const described = await sfn.send(new DescribeStateMachineCommand({ stateMachineArn: stack.collectionArn }));
    expect(described).toMatchObject({
      stateMachineArn: stack.collectionArn,
      status: "ACTIVE",
      type: "STANDARD",
      tracingConfiguration: { enabled: true },
      loggingConfiguration: { level: "ALL", includeExecutionData: false },
    });
    expect(described.roleArn).toMatch(/^arn:aws:iam::000000000000:role\/.*QuarterlyCollectionRole/);
    expect(described.loggingConfiguration?.destinations?.[0]?.cloudWatchLogsLogGroup?.logGroupArn).toMatch(
      /^arn:aws:logs:ap-northeast-1:000000000000:log-group:.*CollectionLogs/,
    );
    // The definition as synthesized: a Wait state with its TimestampPath, nothing of the runner's rewrite.
    const definition = JSON.parse(described.definition ?? "{}");
    expect(definition.StartAt).toBe("OpenRound");
    expect(described.definition).toContain('"TimestampPath"');
    expect(described.definition).not.toContain("__local");
    expect(definition.States.WaitForMoment.Type).toBe("Wait");
  });

  it("answers StateMachineDoesNotExist for an unknown ARN", async () => {
    await expect(
      sfn.send(new DescribeStateMachineCommand({ stateMachineArn: `${stack.collectionArn}-missing` })),
    ).rejects.toBeInstanceOf(StateMachineDoesNotExist);
  });
});

describe("StartExecution", () => {
  it("refuses a name AWS would refuse (over 80 characters, or a space) with InvalidName, and starts nothing", async () => {
    for (const name of ["x".repeat(81), "a name"]) {
      await expect(
        sfn.send(new StartExecutionCommand({ stateMachineArn: stack.reviewArn, name, input: "{}" })),
      ).rejects.toBeInstanceOf(InvalidName);
    }
    const { executions = [] } = await sfn.send(new ListExecutionsCommand({ stateMachineArn: stack.reviewArn }));
    expect(executions.some((execution) => execution.name === "a name" || execution.name?.startsWith("xxx"))).toBe(
      false,
    );
  });
});

describe("GetExecutionHistory", () => {
  it("numbers a finished execution's events, each pointing to the one before, with AWS's details", async () => {
    const executionArn = await finishedReview();
    const { events = [], nextToken } = await sfn.send(new GetExecutionHistoryCommand({ executionArn }));
    expect(nextToken).toBeUndefined();
    expect(events.map((event) => event.id)).toEqual(events.map((_, index) => index + 1));
    expect(events.map((event) => event.type)).toEqual([
      "ExecutionStarted",
      "TaskStateEntered",
      "LambdaFunctionScheduled",
      "LambdaFunctionStarted",
      "LambdaFunctionSucceeded",
      "TaskStateExited",
      "ChoiceStateEntered",
      "ChoiceStateExited",
      "TaskStateEntered",
      "LambdaFunctionScheduled",
      "LambdaFunctionStarted",
      "LambdaFunctionSucceeded",
      "TaskStateExited",
      "SucceedStateEntered",
      "SucceedStateExited",
      "ExecutionSucceeded",
    ]);
    // One path, so each event follows the one before it.
    expect(events.map((event) => event.previousEventId)).toEqual(events.map((_, index) => index));
    for (const event of events) expect(event.timestamp).toBeInstanceOf(Date);
    const [started, entered, scheduled] = events;
    expect(JSON.parse(started?.executionStartedEventDetails?.input ?? "{}")).toEqual({
      planId: PLAN_ID,
      fiscalYear: 2022,
    });
    expect(started?.executionStartedEventDetails?.roleArn).toMatch(/YearEndReviewRole/);
    expect(entered?.stateEnteredEventDetails?.name).toBe("CheckRoundsClosed");
    expect(scheduled?.lambdaFunctionScheduledEventDetails?.resource).toMatch(/CheckRoundsClosed/);
    const names = events.flatMap((event) => event.stateEnteredEventDetails?.name ?? []);
    expect(names).toEqual([
      "CheckRoundsClosed",
      "ReadyToReview?",
      "AskSecretariatAboutOpenRounds",
      "WaitingForSecretariat",
    ]);
    expect(JSON.parse(events.at(-1)?.executionSucceededEventDetails?.output ?? "{}")).toMatchObject({
      allClosed: false,
    });
  });

  it("pages with maxResults and nextToken, in either order, with or without the data", async () => {
    const executionArn = await finishedReview();
    const all = (await sfn.send(new GetExecutionHistoryCommand({ executionArn }))).events ?? [];
    expect(await wholeHistory(executionArn, 5)).toEqual(all);
    const first = await sfn.send(new GetExecutionHistoryCommand({ executionArn, maxResults: 5 }));
    expect(first.events?.map((event) => event.id)).toEqual([1, 2, 3, 4, 5]);
    expect(first.nextToken).toEqual(expect.any(String));
    const reversed = await sfn.send(
      new GetExecutionHistoryCommand({ executionArn, reverseOrder: true, maxResults: 3 }),
    );
    expect(reversed.events?.map((event) => event.id)).toEqual([all.length, all.length - 1, all.length - 2]);
    const bare = await sfn.send(new GetExecutionHistoryCommand({ executionArn, includeExecutionData: false }));
    expect(bare.events?.[0]?.executionStartedEventDetails).not.toHaveProperty("input");
    expect(bare.events?.[0]?.executionStartedEventDetails?.roleArn).toMatch(/YearEndReviewRole/);
  });

  it("shows a running round's Map iteration and its wait for the next moment as they stand", async () => {
    const { executionArn } = await startRoundAndCollectLinks(stack, 2021, 2, 60 * 60_000);
    // Every institution's request is out in one batch; the round then waits for its next moment as a whole.
    await expect
      .poll(
        async () => (await wholeHistory(executionArn, 20)).filter((event) => event.type === "WaitStateEntered").length,
      )
      .toBe(1);
    const events = await wholeHistory(executionArn, 20);
    const types = events.map((event) => event.type);
    expect(types.filter((type) => type === "MapIterationStarted")).toHaveLength(1);
    const mapStarted = events.filter((event) => event.type === "MapStateStarted");
    expect(mapStarted.map((event) => event.mapStateStartedEventDetails?.length)).toEqual([1]);
    expect(types).not.toContain("TaskSubmitted");
    const wait = events.find((event) => event.type === "WaitStateEntered");
    expect(wait?.stateEnteredEventDetails?.name).toBe("WaitForMoment");
    expect(JSON.parse(wait?.stateEnteredEventDetails?.input ?? "{}").next).toMatchObject({ kind: expect.any(String) });
    expect(types).not.toContain("ExecutionSucceeded");
    // An iteration's first event follows its Map state's start; the events after it stay on that iteration's path.
    const byId = new Map(events.map((event) => [event.id, event]));
    for (const event of events.filter((candidate) => candidate.type === "MapIterationStarted"))
      expect(byId.get(event.previousEventId)?.type).toBe("MapStateStarted");
    for (const event of events.filter((candidate) => candidate.id !== 1))
      expect(event.previousEventId).toBeLessThan(event.id ?? 0);

    const running = await sfn.send(
      new ListExecutionsCommand({ stateMachineArn: stack.collectionArn, statusFilter: "RUNNING" }),
    );
    expect(running.executions?.map((execution) => execution.executionArn)).toContain(executionArn);
  });
});
