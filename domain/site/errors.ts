import { DomainError } from "../errors.ts";

/** A version that every approval step has not approved was to be published: a draft is never public. */
export class NotApprovedError extends DomainError {
  static override readonly permanent = true;
  override readonly status = 409;
  constructor(what: string) {
    super("not-approved", `${what} is not approved, so it is not published`);
  }
}
