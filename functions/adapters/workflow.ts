import { SendTaskSuccessCommand, type SFNClient } from "@aws-sdk/client-sfn";

/** Errors that mean the waiting task is gone (timed out, execution stopped): the answer is stored regardless. */
const GONE_TASK_ERRORS = new Set(["TaskTimedOut", "TaskDoesNotExist", "InvalidToken"]);

/** Resumes a workflow task waiting for a callback. The task token is read from the table and never shown. */
export class WorkflowCallback {
  constructor(private readonly client: SFNClient) {}

  /** Resumes the task; returns false when it no longer waits (the answer then counts from the table alone). */
  async succeed(taskToken: string, output: unknown): Promise<boolean> {
    try {
      await this.client.send(new SendTaskSuccessCommand({ taskToken, output: JSON.stringify(output) }));
      return true;
    } catch (error) {
      if (error instanceof Error && GONE_TASK_ERRORS.has(error.name)) return false;
      throw error;
    }
  }
}
