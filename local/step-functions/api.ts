import { createServer, type IncomingMessage, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";
import { ServiceError } from "./errors.ts";
import { withoutExecutionData } from "./history.ts";
import type { LocalExecution, LocalStepFunctions } from "./runner.ts";

type Body = Record<string, unknown>;

const seconds = (date: Date) => date.getTime() / 1000;

/**
 * One page of `items`, as AWS's list actions page: `maxResults` 1–1000 (0 or none: 100), and a `nextToken` naming
 * the last item given, so that items added at the front meanwhile (a newer execution) shift nothing.
 */
function page<T>(items: readonly T[], body: Body, keyOf: (item: T) => string): { items: T[]; nextToken?: string } {
  const requested = Number(body.maxResults ?? 0);
  if (!Number.isInteger(requested) || requested < 0 || requested > 1000)
    throw new ServiceError("ValidationException", "maxResults must be between 0 and 1000");
  const size = requested || 100;
  let start = 0;
  if (typeof body.nextToken === "string" && body.nextToken) {
    const after = Buffer.from(body.nextToken, "base64url").toString("utf8");
    const index = items.findIndex((item) => keyOf(item) === after);
    if (index < 0) throw new ServiceError("InvalidToken", "Invalid Token");
    start = index + 1;
  }
  const slice = items.slice(start, start + size);
  const last = slice.at(-1);
  return {
    items: slice,
    nextToken:
      start + size < items.length && last !== undefined ? Buffer.from(keyOf(last)).toString("base64url") : undefined,
  };
}

/** An execution as ListExecutions lists it. */
function listItem(execution: LocalExecution) {
  return {
    executionArn: execution.executionArn,
    stateMachineArn: execution.stateMachineArn,
    name: execution.name,
    status: execution.status,
    startDate: seconds(execution.startDate),
    stopDate: execution.stopDate ? seconds(execution.stopDate) : undefined,
  };
}

/** An execution as DescribeExecution describes it: the list item with its input, output and error. */
function describeExecution(execution: LocalExecution) {
  return {
    ...listItem(execution),
    input: execution.input,
    inputDetails: { included: true },
    output: execution.output,
    outputDetails: execution.output === undefined ? undefined : { included: true },
    error: execution.error,
    cause: execution.cause,
  };
}

/** Answers one action with the output shape of @aws-sdk/client-sfn's `<Action>CommandOutput`, dates in seconds. */
function answer(runner: LocalStepFunctions, action: string, body: Body): unknown {
  const text = (field: string) => (typeof body[field] === "string" ? (body[field] as string) : "");
  switch (action) {
    case "StartExecution": {
      const input = JSON.parse(text("input") || "{}");
      const execution = runner.startExecution(text("stateMachineArn"), input, text("name") || undefined);
      return { executionArn: execution.executionArn, startDate: seconds(execution.startDate) };
    }
    case "DescribeExecution":
      return describeExecution(runner.execution(text("executionArn")));
    case "ListExecutions": {
      const arn = text("stateMachineArn");
      if (arn) runner.stateMachine(arn);
      const matching = runner
        .listExecutions()
        .filter((execution) => !arn || execution.stateMachineArn === arn)
        .filter((execution) => !body.statusFilter || execution.status === body.statusFilter);
      const { items, nextToken } = page(matching, body, (execution) => execution.executionArn);
      return {
        executions: items.map(listItem),
        nextToken,
      };
    }
    case "GetExecutionHistory": {
      const events = runner.execution(text("executionArn")).history.events;
      const ordered = body.reverseOrder === true ? [...events].reverse() : events;
      const { items, nextToken } = page(ordered, body, (event) => String(event.id));
      return {
        events: body.includeExecutionData === false ? items.map(withoutExecutionData) : items,
        nextToken,
      };
    }
    case "ListStateMachines": {
      const { items, nextToken } = page(runner.stateMachines(), body, (machine) => machine.arn);
      return {
        stateMachines: items.map((machine) => ({
          stateMachineArn: machine.arn,
          name: machine.name,
          type: "STANDARD",
          creationDate: seconds(machine.creationDate),
        })),
        nextToken,
      };
    }
    case "DescribeStateMachine": {
      const machine = runner.stateMachine(text("stateMachineArn"));
      return {
        stateMachineArn: machine.arn,
        name: machine.name,
        status: "ACTIVE",
        definition: machine.definitionString,
        roleArn: machine.roleArn ?? "",
        type: "STANDARD",
        creationDate: seconds(machine.creationDate),
        loggingConfiguration: machine.loggingConfiguration ?? { level: "OFF", includeExecutionData: false },
        tracingConfiguration: machine.tracingConfiguration ?? { enabled: false },
      };
    }
    case "SendTaskSuccess":
      runner.sendTaskSuccess(text("taskToken"), text("output") || "{}");
      return {};
    case "SendTaskFailure":
      runner.sendTaskFailure(text("taskToken"), text("error") || undefined, text("cause"));
      return {};
    case "SendTaskHeartbeat":
      runner.sendTaskHeartbeat(text("taskToken"));
      return {};
    default:
      throw new ServiceError("UnknownOperationException", `The local Step Functions does not implement ${action}`);
  }
}

async function serve(runner: LocalStepFunctions, request: IncomingMessage, response: ServerResponse): Promise<void> {
  const chunks: Buffer[] = [];
  for await (const chunk of request) chunks.push(chunk as Buffer);
  const action = String(request.headers["x-amz-target"] ?? "").replace("AWSStepFunctions.", "");
  response.setHeader("content-type", "application/x-amz-json-1.0");
  try {
    const body = chunks.length ? JSON.parse(Buffer.concat(chunks).toString("utf8")) : {};
    response.end(JSON.stringify(answer(runner, action, body)));
  } catch (error) {
    const type = error instanceof ServiceError ? error.type : "InvalidParameterValue";
    response.statusCode = 400;
    response.end(
      JSON.stringify({ __type: `com.amazonaws.swf.service.v2.model#${type}`, message: (error as Error).message }),
    );
  }
}

/** The Step Functions JSON API of a local runner on loopback, reached by the ordinary SDK client. */
export interface StepFunctionsApi {
  endpoint: string;
  close(): Promise<void>;
}

/** Serves the runner's Step Functions API on loopback (`port` 0: a free one). */
export async function serveStepFunctionsApi(runner: LocalStepFunctions, port = 0): Promise<StepFunctionsApi> {
  const server = createServer((request, response) => void serve(runner, request, response));
  await new Promise<void>((resolve, reject) => {
    server.once("error", reject);
    server.listen(port, "127.0.0.1", resolve);
  });
  return {
    endpoint: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}
