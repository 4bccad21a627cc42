import { DomainError } from "../errors.ts";

/** The input was not what the review expects (a second version of one answer, a year outside the plan). */
export class ReviewInputError extends DomainError {
  static override readonly permanent = true;
  constructor(message: string) {
    super("review-input", message);
  }
}
