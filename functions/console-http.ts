import { randomUUID } from "node:crypto";
import middy from "@middy/core";
import type { APIGatewayProxyEventV2 } from "aws-lambda";
import { type FiscalYear, QUARTERS, type Quarter } from "../domain/calendar.ts";
import { auditCsv } from "../domain/console/audit.ts";
import { visiblePlans } from "../domain/console/session.ts";
import { MethodNotAllowedError, NotFoundError, PayloadTooLargeError } from "../domain/errors.ts";
import { renderAuditPage } from "../domain/html/console/audit.ts";
import { renderDashboard } from "../domain/html/console/dashboard.ts";
import { renderConsoleErrorPage } from "../domain/html/console/errors.ts";
import { consoleMessage } from "../domain/html/console/messages.ts";
import { renderPlanPage } from "../domain/html/console/plan.ts";
import { renderRoundPage } from "../domain/html/console/round.ts";
import { renderSignInPage } from "../domain/html/console/sign-in.ts";
import { renderYearPage } from "../domain/html/console/year.ts";
import type { Plan } from "../domain/plan.ts";
import { REPORT_FILE_NAME } from "../domain/report/files.ts";
import { documentClient } from "./adapters/clients/dynamodb.ts";
import { s3Client } from "./adapters/clients/s3.ts";
import { secretsManagerClient } from "./adapters/clients/secrets-manager.ts";
import { sesClient } from "./adapters/clients/ses.ts";
import { sfnClient } from "./adapters/clients/sfn.ts";
import {
  bucketEnv,
  collectionWorkflowEnv,
  linkKeyEnv,
  mailEnv,
  operatorsEnv,
  publicUrlEnv,
  readEnv,
  remindWorkflowEnv,
  reviewWorkflowEnv,
  sessionKeyEnv,
  tableEnv,
} from "./adapters/env.ts";
import { FormLinks } from "./adapters/form-links.ts";
import { Mailer } from "./adapters/mailer.ts";
import { ReportStore } from "./adapters/report-store.ts";
import { SecretValue } from "./adapters/secrets.ts";
import { openTable } from "./adapters/table/index.ts";
import { WorkflowCallback } from "./adapters/workflow.ts";
import {
  type ActionResult,
  acceptLateAnswer,
  decideLate,
  decideOwnApproval,
  extendDeadline,
  remindNow,
  startDraft,
  startRoundNow,
} from "./http/console/actions.ts";
import { type ConsoleContext, formFields } from "./http/console/context.ts";
import { ConsoleSessions, type SignedIn } from "./http/console/session.ts";
import { completeSignIn, confirmSignIn, redirect, requestSignIn } from "./http/console/sign-in.ts";
import { auditEntries, planAtAGlance, roundsOf, roundView, yearView } from "./http/console/views.ts";
import { httpErrorPages } from "./http/errors.ts";
import { fileResponse, type HttpResponse, htmlResponse } from "./http/responses.ts";

const env = readEnv({
  ...tableEnv,
  ...mailEnv,
  ...publicUrlEnv,
  ...bucketEnv,
  ...reviewWorkflowEnv,
  ...collectionWorkflowEnv,
  ...remindWorkflowEnv,
  ...linkKeyEnv,
  ...sessionKeyEnv,
  ...operatorsEnv,
});
const table = openTable(documentClient, env.TABLE_NAME);
const context: ConsoleContext = {
  table,
  mailer: new Mailer(sesClient, env.MAIL_FROM),
  sessions: new ConsoleSessions(new SecretValue(secretsManagerClient, env.SESSION_KEY_SECRET_ARN), table.console),
  sfn: sfnClient,
  workflow: new WorkflowCallback(sfnClient),
  reports: new ReportStore(s3Client, env.REPORTS_BUCKET),
  publicBaseUrl: env.PUBLIC_BASE_URL,
  reviewWorkflowArn: env.REVIEW_WORKFLOW_ARN,
  collectionWorkflowArn: env.COLLECTION_WORKFLOW_ARN,
  remindWorkflowArn: env.REMIND_WORKFLOW_ARN,
  links: new FormLinks(new SecretValue(secretsManagerClient, env.LINK_KEY_SECRET_ARN), env.PUBLIC_BASE_URL),
  operators: env.CONSOLE_OPERATORS.split(",")
    .map((address) => address.trim())
    .filter(Boolean),
  newId: randomUUID,
};

/** The largest form body the console accepts (findings and decisions are the longest). */
const MAX_BODY_BYTES = 256 * 1024;

function decodeBody(event: APIGatewayProxyEventV2): string {
  const raw = event.body ?? "";
  const body = event.isBase64Encoded ? Buffer.from(raw, "base64").toString("utf8") : raw;
  if (Buffer.byteLength(body) > MAX_BODY_BYTES) throw new PayloadTooLargeError(MAX_BODY_BYTES);
  return body;
}

/** The plan of a path, if the viewer works on it; another plan is "not found", as if it did not exist. */
async function planOf(viewer: SignedIn, planId: string | undefined): Promise<Plan> {
  const plans = visiblePlans(viewer.email, await table.plans.listPlans(), context.operators);
  const plan = plans.find((candidate) => candidate.id === planId);
  if (!plan) throw new NotFoundError("Plan");
  return plan;
}

function yearOf(plan: Plan, text: string | undefined): FiscalYear {
  const year = Number(text);
  if (!Number.isInteger(year) || year < plan.period.firstFiscalYear || year > plan.period.lastFiscalYear)
    throw new NotFoundError("Fiscal year");
  return year;
}

function quarterOf(text: string | undefined): Quarter {
  const quarter = Number(text) as Quarter;
  if (!QUARTERS.includes(quarter)) throw new NotFoundError("Quarter");
  return quarter;
}

/** After a POST: back to the page, with the fixed message of what was done (303: the browser follows with a GET). */
function backTo(path: string, result: ActionResult): HttpResponse | undefined {
  return "done" in result ? redirect(`${path}?done=${result.done}`) : undefined;
}

/** The routes a signed-in member uses; every POST among them has passed the CSRF check. */
async function signedInRoute(event: APIGatewayProxyEventV2, viewer: SignedIn, now: Date): Promise<HttpResponse> {
  const path = event.pathParameters ?? {};
  const query = event.queryStringParameters ?? {};
  const message = consoleMessage(query.done);
  const form = event.requestContext.http.method === "POST" ? formFields(decodeBody(event)) : {};
  switch (event.routeKey) {
    case "POST /console/sign-out": {
      const cookie = await context.sessions.end(viewer, now);
      await table.console.audit(
        {
          at: now.toISOString(),
          actor: `secretariat:${viewer.email}`,
          channel: "console",
          action: "sign-out",
          target: "console",
        },
        context.newId(),
      );
      return redirect("/console/sign-in", cookie);
    }
    case "GET /console": {
      const plans = visiblePlans(viewer.email, await table.plans.listPlans(), context.operators);
      const glances = await Promise.all(plans.map((plan) => planAtAGlance(context, plan, now)));
      return htmlResponse(200, renderDashboard(viewer, glances, now));
    }
    case "GET /console/plans/{plan}": {
      const plan = await planOf(viewer, path.plan);
      return htmlResponse(200, renderPlanPage(viewer, plan, await roundsOf(context, plan)));
    }
    case "GET /console/plans/{plan}/years/{year}": {
      const plan = await planOf(viewer, path.plan);
      const view = await yearView(context, plan, yearOf(plan, path.year), viewer.email, now);
      return htmlResponse(200, renderYearPage(viewer, { ...view, message }));
    }
    case "POST /console/plans/{plan}/years/{year}/drafts":
    case "POST /console/plans/{plan}/years/{year}/late-approvers":
    case "POST /console/plans/{plan}/years/{year}/approval": {
      const plan = await planOf(viewer, path.plan);
      const fiscalYear = yearOf(plan, path.year);
      const act = event.routeKey.endsWith("/drafts")
        ? startDraft
        : event.routeKey.endsWith("/late-approvers")
          ? decideLate
          : decideOwnApproval;
      const result = await act(context, viewer, plan, fiscalYear, form, now);
      const page = `/console/plans/${plan.id}/years/${fiscalYear}`;
      if ("errors" in result) {
        const view = await yearView(context, plan, fiscalYear, viewer.email, now);
        return htmlResponse(400, renderYearPage(viewer, { ...view, errors: result.errors }));
      }
      return backTo(page, result) as HttpResponse;
    }
    case "GET /console/plans/{plan}/years/{year}/versions/{version}/{file}":
    case "GET /console/plans/{plan}/years/{year}/versions/{version}/data/{file}": {
      const plan = await planOf(viewer, path.plan);
      const stored = await table.reviews.findReview(plan.id, yearOf(plan, path.year), Number(path.version));
      if (!stored || !REPORT_FILE_NAME.test(path.file ?? "")) throw new NotFoundError("Report file");
      const inData = event.routeKey.includes("/data/");
      const file = await context.reports.getFile(`${stored.prefix}${inData ? "data/" : ""}${path.file}`);
      if (!file) throw new NotFoundError("Report file");
      return fileResponse({ name: path.file ?? "", ...file });
    }
    case "GET /console/plans/{plan}/years/{year}/rounds/{quarter}": {
      const plan = await planOf(viewer, path.plan);
      const view = await roundView(context, plan, yearOf(plan, path.year), quarterOf(path.quarter), query.institution);
      return htmlResponse(200, renderRoundPage(viewer, { ...view, message, now }));
    }
    case "POST /console/plans/{plan}/years/{year}/rounds/{quarter}/start": {
      const plan = await planOf(viewer, path.plan);
      const fiscalYear = yearOf(plan, path.year);
      const quarter = quarterOf(path.quarter);
      const result = await startRoundNow(context, viewer, plan, fiscalYear, quarter, now);
      return backTo(`/console/plans/${plan.id}/years/${fiscalYear}/rounds/${quarter}`, result) as HttpResponse;
    }
    case "POST /console/plans/{plan}/years/{year}/rounds/{quarter}/extend":
    case "POST /console/plans/{plan}/years/{year}/rounds/{quarter}/remind":
    case "POST /console/plans/{plan}/years/{year}/rounds/{quarter}/accept-late": {
      const plan = await planOf(viewer, path.plan);
      const fiscalYear = yearOf(plan, path.year);
      const quarter = quarterOf(path.quarter);
      const act = event.routeKey.endsWith("/extend")
        ? extendDeadline
        : event.routeKey.endsWith("/remind")
          ? remindNow
          : acceptLateAnswer;
      const result = await act(context, viewer, plan, fiscalYear, quarter, form, now);
      if ("errors" in result) {
        const view = await roundView(context, plan, fiscalYear, quarter, undefined);
        return htmlResponse(400, renderRoundPage(viewer, { ...view, errors: result.errors, now }));
      }
      return backTo(`/console/plans/${plan.id}/years/${fiscalYear}/rounds/${quarter}`, result) as HttpResponse;
    }
    case "GET /console/audit":
    case "GET /console/audit.csv": {
      const plans = visiblePlans(viewer.email, await table.plans.listPlans(), context.operators);
      const plan = query.plan ? await planOf(viewer, query.plan) : undefined;
      const fiscalYear = plan ? yearOf(plan, query.year ?? String(plan.period.lastFiscalYear)) : undefined;
      const filter = {
        quarter: query.quarter ? quarterOf(query.quarter) : undefined,
        institutionId: query.institution || undefined,
      };
      const entries = await auditEntries(context, plan, fiscalYear, filter);
      if (event.routeKey === "GET /console/audit.csv")
        return fileResponse({ name: "audit.csv", contentType: "text/csv; charset=utf-8", body: auditCsv(entries) });
      return htmlResponse(200, renderAuditPage(viewer, { plans, plan, fiscalYear, filter, entries }));
    }
    default:
      throw new MethodNotAllowedError(event.requestContext.http.method);
  }
}

/**
 * Routes the secretariat's console. Signing in needs no session; every other page needs a live one (else the
 * sign-in page), and every POST the session's CSRF token (else nothing is done).
 */
export async function handleConsole(event: APIGatewayProxyEventV2, now = new Date()): Promise<HttpResponse> {
  const token = event.pathParameters?.token ?? "";
  switch (event.routeKey) {
    case "GET /console/sign-in":
      return htmlResponse(200, renderSignInPage());
    case "POST /console/sign-in":
      return requestSignIn(context, formFields(decodeBody(event)).email ?? "", now);
    case "GET /console/sign-in/{token}":
      return confirmSignIn(context, token, now);
    case "POST /console/sign-in/{token}":
      return completeSignIn(context, token, now);
  }
  const viewer = await context.sessions.viewerOf(event, now);
  if (!viewer) return redirect("/console/sign-in");
  if (event.requestContext.http.method === "POST") {
    const posted = formFields(decodeBody(event)).csrf;
    if (!(await context.sessions.csrfHolds(viewer, posted))) return htmlResponse(403, renderConsoleErrorPage(403));
  }
  return signedInRoute(event, viewer, now);
}

export const handler = middy<APIGatewayProxyEventV2, HttpResponse>()
  .use(httpErrorPages((status) => htmlResponse(Math.min(status, 500), renderConsoleErrorPage(status))))
  .handler((event) => handleConsole(event));
