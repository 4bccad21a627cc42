import { TransactionCanceledException } from "@aws-sdk/client-dynamodb";
import { TransactWriteCommand } from "@aws-sdk/lib-dynamodb";
import type { ApprovalDecision, ApprovalDecisionKind } from "../../../domain/approvals.ts";
import type { FiscalYear } from "../../../domain/calendar.ts";
import type { StepRecord } from "../../../domain/circulation.ts";
import { LinkUsedError } from "../../../domain/errors.ts";
import { keys } from "../../../domain/keys.ts";
import { type ItemKey, isConditionFailure, type SingleTable, strip } from "./single-table.ts";
import type { AuditEntry } from "./submissions.ts";

/** One draft version of a fiscal year's report. */
export interface VersionRef {
  planId: string;
  fiscalYear: FiscalYear;
  version: number;
}

/** An approver's personal link to decide on one version in one step (only its hash is the key). */
export interface ApprovalLink extends VersionRef {
  stepId: string;
  approverId: string;
  /** The step's deadline when the link was last sent; the link stops working after it. */
  expiresAt: string;
  emailedAt?: string;
  taskToken?: string;
  usedAt?: string;
}

/** The secretariat's personal link to decide about a step's late approvers. */
export interface StepDecisionLink extends VersionRef {
  stepId: string;
  late: string[];
  asked: number;
  emailedAt?: string;
  taskToken?: string;
  usedAt?: string;
}

/**
 * The approval circulation of draft versions (承認): each step's start and deadline, the approvers' and the
 * secretariat's links, and the decisions, each with its audit entry, written so that a link decides at most once.
 */
export class ApprovalStore {
  constructor(private readonly table: SingleTable) {}

  /** Every step of a version begun so far. */
  async listSteps(ref: VersionRef, stepIds: readonly string[]): Promise<Map<string, StepRecord>> {
    const records = await Promise.all(
      stepIds.map((stepId) => this.table.get(keys.approvalStep(ref.planId, ref.fiscalYear, ref.version, stepId))),
    );
    return new Map(
      records.flatMap((item) => (item ? [[item.stepId as string, strip<StepRecord>(item) as StepRecord]] : [])),
    );
  }

  /** Begins a step with its deadline, unless it has begun (a retried call keeps the first deadline). */
  async startStep(ref: VersionRef, record: StepRecord): Promise<void> {
    await this.table.putIfAbsent({
      ...keys.approvalStep(ref.planId, ref.fiscalYear, ref.version, record.stepId),
      type: "approval-step",
      ...ref,
      ...record,
    });
  }

  /** Every decision recorded on a version. */
  async listDecisions(ref: VersionRef): Promise<ApprovalDecision[]> {
    const items = await this.table.queryPrefix(keys.approvalDecisionsPrefix(ref.planId, ref.fiscalYear, ref.version), {
      consistent: true,
    });
    return items.map((item) => strip<ApprovalDecision>(item) as ApprovalDecision);
  }

  /**
   * Binds an approver's link (by its hash) and the task now waiting for the decision, with the step's deadline as
   * the link's expiry; false when the link was used already (the approver decided: the caller resumes the task).
   */
  bindApprovalLink(link: Omit<ApprovalLink, "usedAt" | "emailedAt">, linkHash: string): Promise<boolean> {
    return this.bindLink(keys.approvalLink(link.planId, link.fiscalYear, linkHash), "approval-link", linkHash, link);
  }

  /**
   * Writes a decision link's fields (and its place in the link index) unless the link was used: binding the task
   * waiting now to a link a person may already have decided with would lose that decision.
   */
  private bindLink(key: ItemKey, type: string, linkHash: string, fields: Record<string, unknown>): Promise<boolean> {
    const values: Record<string, unknown> = { type, gsi1pk: keys.linkIndex(linkHash), ...fields };
    values.taskToken ??= "";
    const names = Object.keys(values);
    return this.table.updateIf({
      Key: key,
      UpdateExpression: `SET ${names.map((_, index) => `#f${index} = :f${index}`).join(", ")}`,
      ConditionExpression: "attribute_not_exists(usedAt)",
      ExpressionAttributeNames: Object.fromEntries(names.map((name, index) => [`#f${index}`, name])),
      ExpressionAttributeValues: Object.fromEntries(names.map((name, index) => [`:f${index}`, values[name]])),
    });
  }

  /** Records when the approver was last mailed the link, and for which deadline. */
  async markApprovalEmailed(ref: VersionRef, linkHash: string, at: Date): Promise<void> {
    await this.table.updateIf({
      Key: keys.approvalLink(ref.planId, ref.fiscalYear, linkHash),
      UpdateExpression: "SET emailedAt = :at, emailedFor = expiresAt",
      ConditionExpression: "attribute_exists(pk)",
      ExpressionAttributeValues: { ":at": at.toISOString() },
    });
  }

  /** The approval link a token's hash opens. */
  async findApprovalLinkByHash(linkHash: string): Promise<(ApprovalLink & { emailedFor?: string }) | undefined> {
    return strip<ApprovalLink & { emailedFor?: string }>(await this.table.findByLinkHash(linkHash, "approval-link"));
  }

  /**
   * The approval links of a fiscal year (a handful per version): which versions an approver was asked about, and
   * (by the hash) the link the console decides through for an approver who signs in.
   */
  async listApprovalLinks(planId: string, fiscalYear: FiscalYear): Promise<(ApprovalLink & { linkHash: string })[]> {
    const items = await this.table.queryPrefix(keys.approvalLinksPrefix(planId, fiscalYear), { consistent: true });
    return items.map((item) => ({
      ...(strip<ApprovalLink>(item) as ApprovalLink),
      linkHash: String(item.sk).slice("APPROVALLINK#".length),
    }));
  }

  /**
   * Records an approver's decision, the link's use and the audit entry in one transaction, only if the link was
   * not used; LinkUsedError otherwise, and nothing is written.
   */
  async recordDecision(input: {
    link: ApprovalLink;
    linkHash: string;
    decision: ApprovalDecisionKind;
    comment: string;
    at: Date;
    channel: string;
    auditId: string;
  }): Promise<ApprovalDecision> {
    const { link } = input;
    const decision: ApprovalDecision = {
      approverId: link.approverId,
      stepId: link.stepId,
      version: link.version,
      decision: input.decision,
      comment: input.comment,
      decidedAt: input.at.toISOString(),
    };
    await this.transactOnce([
      {
        Update: {
          TableName: this.table.name,
          Key: keys.approvalLink(link.planId, link.fiscalYear, input.linkHash),
          UpdateExpression: "SET usedAt = :at",
          ConditionExpression: "attribute_exists(pk) AND attribute_not_exists(usedAt)",
          ExpressionAttributeValues: { ":at": decision.decidedAt },
        },
      },
      {
        Put: {
          TableName: this.table.name,
          Item: {
            ...keys.approvalDecision(link.planId, link.fiscalYear, link.version, link.stepId, link.approverId),
            type: "approval-decision",
            ...decision,
          },
          ConditionExpression: "attribute_not_exists(pk)",
        },
      },
      this.auditPut(link, input.auditId, input.at, {
        actor: `approver:${link.approverId}`,
        channel: input.channel,
        action: input.decision === "approve" ? "approval" : "changes-requested",
        target: `report/${link.planId}/${link.fiscalYear}/v${link.version}/${link.stepId}`,
        version: link.version,
        ...(input.comment ? { comment: input.comment } : {}),
      }),
    ]);
    return decision;
  }

  /** Binds the secretariat's decision link (by hash) and the task waiting for its decision. */
  bindStepDecisionLink(link: Omit<StepDecisionLink, "usedAt" | "emailedAt">, linkHash: string): Promise<boolean> {
    return this.bindLink(
      keys.stepDecisionLink(link.planId, link.fiscalYear, linkHash),
      "step-decision-link",
      linkHash,
      link,
    );
  }

  /** Records when the secretariat was mailed its decision link. */
  async markStepDecisionEmailed(ref: VersionRef, linkHash: string, at: Date): Promise<void> {
    await this.table.updateIf({
      Key: keys.stepDecisionLink(ref.planId, ref.fiscalYear, linkHash),
      UpdateExpression: "SET emailedAt = :at",
      ConditionExpression: "attribute_exists(pk)",
      ExpressionAttributeValues: { ":at": at.toISOString() },
    });
  }

  /** The secretariat's decision link a token's hash opens. */
  async findStepDecisionLinkByHash(linkHash: string): Promise<StepDecisionLink | undefined> {
    return strip<StepDecisionLink>(await this.table.findByLinkHash(linkHash, "step-decision-link"));
  }

  /**
   * The secretariat's decision links of a version that a workflow task is waiting on and nobody has used: the
   * console offers the same decision as the mailed link. The hash comes back so the console can record through it.
   */
  async openStepDecisionLinks(ref: VersionRef): Promise<(StepDecisionLink & { linkHash: string })[]> {
    const items = await this.table.queryPrefix(keys.stepDecisionLinksPrefix(ref.planId, ref.fiscalYear), {
      consistent: true,
    });
    return items
      .map((item) => ({
        ...(strip<StepDecisionLink>(item) as StepDecisionLink),
        linkHash: String(item.sk).slice("STEPLINK#".length),
      }))
      .filter((link) => link.version === ref.version && !link.usedAt && Boolean(link.taskToken));
  }

  /**
   * Records the secretariat's decision about late approvers: the step's new deadline, or the approvers it goes on
   * without; the link's use; the audit entry. One transaction, only if the link was not used (LinkUsedError).
   */
  async recordStepDecision(input: {
    link: StepDecisionLink;
    linkHash: string;
    decision: { decision: "extend"; deadline: Date; days: number } | { decision: "proceed" };
    at: Date;
    channel: string;
    auditId: string;
    /** Who decided, when known (the console's signed-in member); the mailed link knows only "the secretariat". */
    actor?: string;
  }): Promise<void> {
    const { link, decision } = input;
    const stepKey = keys.approvalStep(link.planId, link.fiscalYear, link.version, link.stepId);
    const stepUpdate =
      decision.decision === "extend"
        ? {
            UpdateExpression: "SET deadline = :deadline, lateDecisions = lateDecisions + :one",
            ExpressionAttributeValues: { ":deadline": decision.deadline.toISOString(), ":one": 1 },
          }
        : {
            UpdateExpression:
              "SET proceededWithout = list_append(proceededWithout, :late), lateDecisions = lateDecisions + :one",
            ExpressionAttributeValues: { ":late": link.late, ":one": 1 },
          };
    await this.transactOnce([
      {
        Update: {
          TableName: this.table.name,
          Key: keys.stepDecisionLink(link.planId, link.fiscalYear, input.linkHash),
          UpdateExpression: "SET usedAt = :at",
          ConditionExpression: "attribute_exists(pk) AND attribute_not_exists(usedAt)",
          ExpressionAttributeValues: { ":at": input.at.toISOString() },
        },
      },
      {
        Update: {
          TableName: this.table.name,
          Key: stepKey,
          ConditionExpression: "attribute_exists(pk)",
          ...stepUpdate,
        },
      },
      this.auditPut(link, input.auditId, input.at, {
        actor: input.actor ?? "secretariat",
        channel: input.channel,
        action: decision.decision === "extend" ? "approval-deadline-extended" : "approval-proceeded-without",
        target: `report/${link.planId}/${link.fiscalYear}/v${link.version}/${link.stepId}`,
        version: link.version,
        detail: decision.decision === "extend" ? `+${decision.days}d; ${link.late.join(",")}` : link.late.join(","),
      }),
    ]);
  }

  private auditPut(
    ref: VersionRef,
    auditId: string,
    at: Date,
    entry: Omit<AuditEntry, "at"> & Record<string, unknown>,
  ) {
    return {
      Put: {
        TableName: this.table.name,
        Item: { ...keys.audit(ref.planId, ref.fiscalYear, at, auditId), type: "audit", at: at.toISOString(), ...entry },
        ConditionExpression: "attribute_not_exists(pk)",
      },
    };
  }

  private async transactOnce(items: unknown[]): Promise<void> {
    try {
      await this.table.client.send(new TransactWriteCommand({ TransactItems: items as never }));
    } catch (error) {
      const linkReason = error instanceof TransactionCanceledException ? error.CancellationReasons?.[0] : undefined;
      if (linkReason?.Code === "ConditionalCheckFailed" || (!linkReason && isConditionFailure(error)))
        throw new LinkUsedError();
      throw error;
    }
  }
}
