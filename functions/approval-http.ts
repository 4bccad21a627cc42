import { randomUUID } from "node:crypto";
import middy from "@middy/core";
import type { APIGatewayProxyEventV2 } from "aws-lambda";
import { approvalDecisionInputSchema, approvalDecisionLabels, mayProceedWithout } from "../domain/approvals.ts";
import { MethodNotAllowedError, NotFoundError } from "../domain/errors.ts";
import {
  renderApprovalPage,
  renderApprovalRecordedPage,
  renderDecisionLinkUnavailablePage,
  renderLateApproversDecidedPage,
  renderLateApproversPage,
} from "../domain/html/approval-page.ts";
import { renderServerErrorPage } from "../domain/html/pages.ts";
import { hashLinkToken, isWellFormedLinkToken } from "../domain/link-token.ts";
import type { Plan } from "../domain/plan.ts";
import { type VersionChanges, type VersionContent, versionChanges } from "../domain/report/changes.ts";
import { REPORT_FILE_NAME, REVIEW_FILE } from "../domain/report/files.ts";
import type { Review } from "../domain/review/types.ts";
import { check } from "../domain/validation.ts";
import {
  lateApproversDecisionLabels,
  lateApproversDecisionSchema,
  PROCEED_NOT_ALLOWED,
} from "../domain/workflow-events.ts";
import { documentClient } from "./adapters/clients/dynamodb.ts";
import { s3Client } from "./adapters/clients/s3.ts";
import { sfnClient } from "./adapters/clients/sfn.ts";
import { bucketEnv, readEnv, tableEnv } from "./adapters/env.ts";
import { ReportStore } from "./adapters/report-store.ts";
import type { ApprovalLink, StepDecisionLink } from "./adapters/table/approvals.ts";
import { openTable } from "./adapters/table/index.ts";
import type { StoredReview } from "./adapters/table/reviews.ts";
import { WorkflowCallback } from "./adapters/workflow.ts";
import { httpErrorPages } from "./http/errors.ts";
import { fileResponse, type HttpResponse, htmlResponse } from "./http/responses.ts";
import { decideApproval, decideLateApprovers } from "./use-cases/decide-approval.ts";

const env = readEnv({ ...tableEnv, ...bucketEnv });
const table = openTable(documentClient, env.TABLE_NAME);
const store = new ReportStore(s3Client, env.REPORTS_BUCKET);
const workflow = new WorkflowCallback(sfnClient);

/** The version a link decides on, while its circulation is open: the newest version, neither ended nor approved. */
async function openVersion(planId: string, fiscalYear: number, version: number): Promise<StoredReview> {
  const latest = await table.reviews.findLatestReview(planId, fiscalYear);
  if (!latest || latest.version !== version || latest.changesRequestedAt || latest.approvedAt)
    throw new NotFoundError("Circulating version");
  return latest;
}

interface OpenApprovalLink {
  link: ApprovalLink;
  linkHash: string;
  plan: Plan;
  review: StoredReview;
}

/** An approver's link, while it can decide: not used, not past its deadline, its version still circulating. */
async function openApprovalLink(token: string, now: Date): Promise<OpenApprovalLink> {
  if (!isWellFormedLinkToken(token)) throw new NotFoundError("Approval link");
  const linkHash = hashLinkToken(token);
  const link = await table.approvals.findApprovalLinkByHash(linkHash);
  if (!link || link.usedAt || Date.parse(link.expiresAt) < now.getTime()) throw new NotFoundError("Approval link");
  const review = await openVersion(link.planId, link.fiscalYear, link.version);
  return { link, linkHash, plan: await table.plans.getPlan(link.planId), review };
}

async function versionContent(review: StoredReview): Promise<VersionContent> {
  const file = await store.getFile(`${review.prefix}${REVIEW_FILE}`);
  const full = file ? (JSON.parse(file.body) as Partial<Review>) : {};
  return {
    version: review.version,
    figures: review.figures,
    secretariatFindings: full.secretariatFindings ?? [],
    decisions: full.decisions ?? [],
  };
}

/** What changed since the version this approver was last asked about, if any. */
async function changesFor(open: OpenApprovalLink): Promise<VersionChanges | undefined> {
  const { link } = open;
  const earlier = (await table.approvals.listApprovalLinks(link.planId, link.fiscalYear))
    .filter((candidate) => candidate.approverId === link.approverId && candidate.version < link.version)
    .map((candidate) => candidate.version);
  if (earlier.length === 0) return undefined;
  const previous = await table.reviews.findReview(link.planId, link.fiscalYear, Math.max(...earlier));
  if (!previous) return undefined;
  return versionChanges(await versionContent(previous), await versionContent(open.review));
}

function pageContext(open: OpenApprovalLink, token: string) {
  const step = open.plan.approvals?.steps.find((candidate) => candidate.id === open.link.stepId);
  const approver = step?.approvers.find((candidate) => candidate.id === open.link.approverId);
  if (!step || !approver) throw new NotFoundError("Approver");
  return {
    plan: open.plan,
    step,
    approver,
    fiscalYear: open.link.fiscalYear,
    version: open.link.version,
    deadline: new Date(open.link.expiresAt),
    reportUrl: `/approvals/${token}/report/index.html`,
  };
}

/** POST of an approval, through the same use-case as the console's. */
async function postApproval(open: OpenApprovalLink, token: string, body: string, now: Date): Promise<HttpResponse> {
  const posted = Object.fromEntries(new URLSearchParams(body));
  const checked = check(approvalDecisionInputSchema, posted, approvalDecisionLabels);
  if (!checked.ok)
    return htmlResponse(
      400,
      renderApprovalPage({ ...pageContext(open, token), changes: await changesFor(open) }, posted, checked.errors),
    );
  const decision = await decideApproval(
    { table, workflow },
    {
      link: open.link,
      linkHash: open.linkHash,
      decision: checked.value.decision,
      comment: checked.value.comment,
      at: now,
      channel: "approval-link",
      auditId: randomUUID(),
    },
  );
  return htmlResponse(
    200,
    renderApprovalRecordedPage({
      plan: open.plan,
      fiscalYear: open.link.fiscalYear,
      version: open.link.version,
      decision: decision.decision,
      decidedAt: now,
    }),
  );
}

interface OpenStepDecision {
  link: StepDecisionLink;
  linkHash: string;
  plan: Plan;
}

/** The secretariat's decision link, while it can decide: not used, its version still circulating. */
async function openStepDecision(token: string): Promise<OpenStepDecision> {
  if (!isWellFormedLinkToken(token)) throw new NotFoundError("Decision link");
  const linkHash = hashLinkToken(token);
  const link = await table.approvals.findStepDecisionLinkByHash(linkHash);
  if (!link || link.usedAt) throw new NotFoundError("Decision link");
  await openVersion(link.planId, link.fiscalYear, link.version);
  return { link, linkHash, plan: await table.plans.getPlan(link.planId) };
}

async function lateContext(open: OpenStepDecision) {
  const steps = open.plan.approvals?.steps ?? [];
  const step = steps.find((candidate) => candidate.id === open.link.stepId);
  if (!step) throw new NotFoundError("Approval step");
  const decisions = await table.approvals.listDecisions(open.link);
  return {
    plan: open.plan,
    fiscalYear: open.link.fiscalYear,
    version: open.link.version,
    step,
    late: step.approvers.filter((approver) => open.link.late.includes(approver.id)),
    mayProceed: mayProceedWithout(steps, step.id, open.link.version, decisions),
  };
}

/** POST of the secretariat's decision: extend the step's deadline, or go on without the late approvers. */
async function postLateApprovers(open: OpenStepDecision, body: string, now: Date): Promise<HttpResponse> {
  const posted = Object.fromEntries(new URLSearchParams(body));
  const checked = check(lateApproversDecisionSchema, posted, lateApproversDecisionLabels);
  if (!checked.ok) return htmlResponse(400, renderLateApproversPage(await lateContext(open), checked.errors));
  const outcome = await decideLateApprovers(
    { table, workflow },
    {
      steps: open.plan.approvals?.steps ?? [],
      link: open.link,
      linkHash: open.linkHash,
      decision: checked.value,
      at: now,
      channel: "decision-link",
      auditId: randomUUID(),
    },
  );
  if (outcome.kind === "proceed-not-allowed")
    return htmlResponse(400, renderLateApproversPage(await lateContext(open), [PROCEED_NOT_ALLOWED]));
  return htmlResponse(
    200,
    renderLateApproversDecidedPage({
      plan: open.plan,
      fiscalYear: open.link.fiscalYear,
      version: open.link.version,
      decision: checked.value.decision,
      deadline: outcome.deadline,
    }),
  );
}

function decodeBody(event: APIGatewayProxyEventV2): string {
  const raw = event.body ?? "";
  return event.isBase64Encoded ? Buffer.from(raw, "base64").toString("utf8") : raw;
}

/**
 * Routes the approval pages: an approver's page, its POST and the draft's files behind the same link; the
 * secretariat's page about late approvers and its POST. A GET never decides anything (mail scanners follow links).
 */
export async function handleApproval(event: APIGatewayProxyEventV2, now = new Date()): Promise<HttpResponse> {
  const token = event.pathParameters?.token ?? "";
  switch (event.routeKey) {
    case "GET /approvals/{token}": {
      const open = await openApprovalLink(token, now);
      return htmlResponse(200, renderApprovalPage({ ...pageContext(open, token), changes: await changesFor(open) }));
    }
    case "POST /approvals/{token}":
      return postApproval(await openApprovalLink(token, now), token, decodeBody(event), now);
    case "GET /approvals/{token}/report/{file}":
    case "GET /approvals/{token}/report/data/{file}": {
      const file = event.pathParameters?.file ?? "";
      if (!REPORT_FILE_NAME.test(file)) throw new NotFoundError("Report file");
      const open = await openApprovalLink(token, now);
      const inData = event.routeKey.includes("/data/");
      const stored = await store.getFile(`${open.review.prefix}${inData ? "data/" : ""}${file}`);
      if (!stored) throw new NotFoundError("Report file");
      return fileResponse({ name: file, ...stored });
    }
    case "GET /decisions/{token}":
      return htmlResponse(200, renderLateApproversPage(await lateContext(await openStepDecision(token))));
    case "POST /decisions/{token}":
      return postLateApprovers(await openStepDecision(token), decodeBody(event), now);
    default:
      throw new MethodNotAllowedError(event.requestContext.http.method);
  }
}

/** Unknown, expired, decided and superseded links all get one page, with one status. */
function errorPage(status: number): HttpResponse {
  if (status < 500) return htmlResponse(404, renderDecisionLinkUnavailablePage());
  return htmlResponse(500, renderServerErrorPage());
}

export const handler = middy<APIGatewayProxyEventV2, HttpResponse>()
  .use(httpErrorPages(errorPage))
  .handler((event) => handleApproval(event));
