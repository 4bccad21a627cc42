import {
  ConflictError,
  DomainError,
  InvalidInputError,
  LinkUsedError,
  MethodNotAllowedError,
  NotFoundError,
  PayloadTooLargeError,
  PlanMismatchError,
  RoundClosedError,
} from "../domain/errors.ts";
import { ChartLoadRefusedError, ReportPathError } from "../domain/report/errors.ts";
import { ReviewInputError } from "../domain/review/errors.ts";
import { NotApprovedError } from "../domain/site/errors.ts";
import { SubmissionKeyUsedError } from "../functions/adapters/table/submissions.ts";

/**
 * Every error class the platform names. Each says for itself whether a retry can help (`permanent`); a test checks
 * that every subclass of DomainError in the tree is listed here and says so, so a new one cannot be forgotten.
 */
/** An error class as the workflows read it: its name, and whether a retry can help. */
export interface NamedErrorClass {
  readonly name: string;
  readonly permanent: boolean;
}

export const NAMED_ERRORS: readonly NamedErrorClass[] = [
  DomainError,
  InvalidInputError,
  NotFoundError,
  RoundClosedError,
  ConflictError,
  SubmissionKeyUsedError,
  PayloadTooLargeError,
  MethodNotAllowedError,
  PlanMismatchError,
  LinkUsedError,
  ReviewInputError,
  ReportPathError,
  ChartLoadRefusedError,
  NotApprovedError,
];

/**
 * Errors a workflow must not retry: the input or the stored data is wrong and will stay wrong. The names are the
 * error classes' own (kept through bundling: infra/bundling.ts sets keepNames).
 */
export const PERMANENT_ERRORS: string[] = NAMED_ERRORS.filter((error) => error.permanent).map((error) => error.name);
