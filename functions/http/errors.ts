import type { MiddlewareObj } from "@middy/core";
import type { APIGatewayProxyEventV2 } from "aws-lambda";
import { DomainError } from "../../domain/errors.ts";
import { logger } from "../middleware.ts";
import type { HttpResponse } from "./responses.ts";

/** The message every failure on our side is logged with; the handled-error metric of each HTTP function counts it. */
export const HTTP_FAILURE_LOG_MESSAGE = "http request failed";

/**
 * The one error middleware of every HTTP handler (middy's http-error-handler shape): an error carries its status;
 * a user's mistake (under 500) gets the page the handler gives for that status, and nothing more is said; anything
 * else — ours, or unknown — is logged at ERROR with its cause (which the alarms count) and becomes the handler's
 * plain 500 page, with nothing about the cause in it.
 */
export function httpErrorPages(pageFor: (status: number) => HttpResponse): MiddlewareObj<APIGatewayProxyEventV2> {
  return {
    onError: async (request) => {
      const error = request.error;
      const status = error instanceof DomainError ? error.status : 500;
      if (status >= 500)
        logger.error(HTTP_FAILURE_LOG_MESSAGE, { error: error as Error, route: request.event.routeKey });
      else logger.info("http request refused", { code: (error as DomainError).code, status });
      request.response = pageFor(status);
    },
  };
}
