import { DomainError } from "../errors.ts";

/** A spec asked vega to load something; the report's charts carry all their data inline. */
export class ChartLoadRefusedError extends DomainError {
  static override readonly permanent = true;
  constructor(uri: string) {
    super("chart-load-refused", `Chart rendering loads nothing; the spec asked for ${uri}`);
  }
}

/** A plan id or version that cannot name a folder of the site; refused rather than escaped. */
export class ReportPathError extends DomainError {
  static override readonly permanent = true;
  constructor(message: string) {
    super("report-path", message);
  }
}
