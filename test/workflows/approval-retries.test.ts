import { connect, createServer, type Server } from "node:net";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { LocalStack } from "../../local/stack.ts";
import { approvalLinkOf, HEADS } from "../helpers/approvals.ts";
import { startTestStack } from "../helpers/local-stack.ts";
import { PLAN_ID } from "../helpers/rounds.ts";

// A transient failure while asking the approvers (here the link key cannot be read: the network to Secrets Manager
// is down for a moment) is retried, as any other task's, instead of failing the Map and the whole YearEndReview.

/**
 * A TCP relay in front of the local Secrets Manager that drops every connection until it is opened: an outage of the
 * network between the functions and the service, with the service itself untouched (nothing answers in its place).
 */
class Outage {
  dropped = 0;
  private up = false;
  private readonly server: Server;

  constructor(target: URL) {
    this.server = createServer((socket) => {
      if (!this.up) {
        this.dropped++;
        socket.destroy();
        return;
      }
      const upstream = connect(Number(target.port), target.hostname);
      const close = () => {
        socket.destroy();
        upstream.destroy();
      };
      socket.on("error", close);
      upstream.on("error", close);
      socket.pipe(upstream).pipe(socket);
    });
  }

  async listen(): Promise<string> {
    await new Promise<void>((resolve) => this.server.listen(0, "127.0.0.1", resolve));
    const address = this.server.address();
    if (!address || typeof address === "string") throw new Error("the relay has no port");
    return `http://127.0.0.1:${address.port}`;
  }

  end(): void {
    this.up = true;
  }

  close(): Promise<void> {
    return new Promise((resolve) => this.server.close(() => resolve()));
  }
}

let stack: LocalStack;
let outage: Outage;

beforeAll(async () => {
  stack = await startTestStack();
  outage = new Outage(new URL(process.env.AWS_ENDPOINT_URL_SECRETS_MANAGER as string));
  // The functions run in this process and make their Secrets Manager client on their first call, after this.
  process.env.AWS_ENDPOINT_URL_SECRETS_MANAGER = await outage.listen();
});
afterAll(async () => {
  await stack?.stop();
  await outage?.close();
});

describe("a transient failure while asking the approvers", () => {
  it("is retried, and every approver is asked once the outage ends", async () => {
    const execution = stack.startReview({ planId: PLAN_ID, fiscalYear: 2020, proceedAnyway: true, stepSeconds: 600 });
    const failedAsks = () =>
      stack.stepFunctions
        .execution(execution.executionArn)
        .history.events.filter((event) => event.type === "TaskFailed").length;
    await expect.poll(failedAsks, { timeout: 30_000 }).toBeGreaterThan(0);
    expect(outage.dropped).toBeGreaterThan(0);
    outage.end();

    for (const address of HEADS) expect((await fetch(await approvalLinkOf(stack, address, 1, 2020))).status).toBe(200);
    expect(stack.stepFunctions.execution(execution.executionArn).status).toBe("RUNNING");
    expect(stack.stepFunctions.execution(execution.executionArn).states).toContain("RequestApproval");
  });
});
