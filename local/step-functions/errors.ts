/** A Step Functions API error: `type` is the exception name AWS returns (ExecutionAlreadyExists, …). */
export class ServiceError extends Error {
  constructor(
    readonly type: string,
    message: string,
  ) {
    super(message);
    this.name = type;
  }
}
