import { Logger } from "@aws-lambda-powertools/logger";
import type { MiddlewareObj } from "@middy/core";
import * as z from "zod/mini";
import { InvalidInputError } from "../domain/errors.ts";
import { toFieldErrors } from "../domain/validation.ts";

/** The structured logger every handler shares (JSON lines, CloudWatch-ready). */
export const logger = new Logger({ serviceName: "pdca" });

/**
 * Parses the event with a domain schema before the handler runs, so the handler receives a typed value; an event
 * that does not fit fails as InvalidInputError, which the workflows do not retry.
 */
export function parseEvent<S extends z.core.$ZodType>(schema: S): MiddlewareObj<z.output<S>, unknown> {
  return {
    before: async (request) => {
      const parsed = z.safeParse(schema, request.event);
      if (!parsed.success) throw new InvalidInputError(toFieldErrors(parsed.error, {}));
      request.event = parsed.data;
    },
  };
}

/** Logs any failure with its name and cause before Lambda reports it (to Step Functions as the error name). */
export function logFailures(): MiddlewareObj {
  return {
    onError: async (request) => {
      logger.error("handler failed", { error: request.error as Error });
    },
  };
}
