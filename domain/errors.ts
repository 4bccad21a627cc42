import type { FieldError } from "./validation.ts";

/**
 * Base of every failure the platform names. `code` is stable; the workflows' Retry/Catch match on `name`. Each
 * subclass says, with its own `permanent`, whether retrying can help: the workflows retry from that, and a test
 * checks that every subclass says it (workflows/errors.ts).
 */
export class DomainError extends Error {
  /** True when the same call will fail the same way again (the input or the stored data is wrong): never retried. */
  static readonly permanent: boolean = true;
  /** HTTP-like status: under 500 is the user's to fix and may be shown; 500 and over is ours and is not. */
  readonly status: number = 500;
  constructor(
    readonly code: string,
    message: string,
    options?: { cause?: unknown },
  ) {
    super(message, options);
    this.name = new.target.name;
  }
}

/** The input broke the schema; nothing was stored. */
export class InvalidInputError extends DomainError {
  static override readonly permanent = true;
  override readonly status = 400;
  constructor(readonly fieldErrors: FieldError[]) {
    super("invalid-input", fieldErrors.map((error) => `${error.path}: ${error.en}`).join("; "));
  }
}

/** A plan, round, request or link that does not exist (or must not be revealed to exist). */
export class NotFoundError extends DomainError {
  static override readonly permanent = true;
  override readonly status = 404;
  constructor(what: string, options?: { cause?: unknown }) {
    super("not-found", `${what} not found`, options);
  }
}

/** The round is closed or its deadline has passed; answers can no longer be changed through the link. */
export class RoundClosedError extends DomainError {
  static override readonly permanent = true;
  override readonly status = 410;
  constructor(roundId: string) {
    super("round-closed", `Round ${roundId} is closed`);
  }
}

/** Another writer changed the item first (a conditional write lost); safe to retry. */
export class ConflictError extends DomainError {
  static override readonly permanent = false;
  override readonly status = 409;
  constructor(message: string, options?: { cause?: unknown }) {
    super("conflict", message, options);
  }
}

/** The request body is larger than a form may be. */
export class PayloadTooLargeError extends DomainError {
  static override readonly permanent = true;
  override readonly status = 413;
  constructor(limitBytes: number) {
    super("payload-too-large", `Body exceeds ${limitBytes} bytes`);
  }
}

/** The HTTP method is not one the route serves. */
export class MethodNotAllowedError extends DomainError {
  static override readonly permanent = true;
  override readonly status = 405;
  constructor(method: string) {
    super("method-not-allowed", `Method ${method} is not served here`);
  }
}

/** Stored data no longer matches the plan (an institution removed from it while its request is open). */
export class PlanMismatchError extends DomainError {
  static override readonly permanent = true;
  constructor(message: string) {
    super("plan-mismatch", message);
  }
}

/** A personal link that decides once (an approval, a secretariat's decision) was used already; nothing is changed. */
export class LinkUsedError extends DomainError {
  static override readonly permanent = true;
  override readonly status = 410;
  constructor() {
    super("link-used", "This link was used already");
  }
}
