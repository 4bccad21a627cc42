import { afterAll, describe, expect, it } from "vitest";
import { type EngineProcess, startDynamoDbLocal } from "../../../local/engines/dynamodb.ts";
import { isAlive } from "../../helpers/stack-process.ts";

// DynamoDB Local as a child process of its own (not the run's shared one), killed from outside as a person or the
// OOM killer would.

let engine: EngineProcess | undefined;
afterAll(() => {
  if (engine && isAlive(engine.pid)) process.kill(engine.pid, "SIGKILL");
});

describe("DynamoDB Local's process", () => {
  it("stops at once when it was already killed by a signal, instead of waiting for an exit that came", async () => {
    engine = await startDynamoDbLocal();
    process.kill(engine.pid, "SIGKILL");
    await expect(engine.exited).resolves.toMatchObject({ code: null, signal: "SIGKILL" });
    const stopped = await Promise.race([
      engine.stop().then(() => "stopped"),
      new Promise((resolve) => setTimeout(resolve, 5_000, "still waiting")),
    ]);
    expect(stopped).toBe("stopped");
  });
});
