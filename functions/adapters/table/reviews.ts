import { QueryCommand, TransactWriteCommand } from "@aws-sdk/lib-dynamodb";
import type { FiscalYear } from "../../../domain/calendar.ts";
import { ConflictError } from "../../../domain/errors.ts";
import { keys } from "../../../domain/keys.ts";
import type { ReviewFigures } from "../../../domain/review/figures-summary.ts";
import type { PublishedVersion } from "../../../domain/site/pages.ts";
import { isConditionFailure, type SingleTable, strip } from "./single-table.ts";

/** A stored review version: its key figures (bounded in size) and where its full JSON and report files are. */
export interface StoredReview {
  planId: string;
  fiscalYear: FiscalYear;
  version: number;
  createdAt: string;
  /** S3 key prefix of this version's files (report.json holds the whole review). */
  prefix: string;
  status: "draft" | "approved";
  figures: ReviewFigures;
  /** When its circulation ended: approved by every step, or changes requested. */
  approvedAt?: string;
  changesRequestedAt?: string;
  /** When it was published (its public address then shows it). */
  publishedAt?: string;
}

/** A secretariat's link to one draft version. */
export interface ReportLink {
  planId: string;
  fiscalYear: FiscalYear;
  version: number;
  prefix: string;
  expiresAt: string;
}

/** Review versions (点検評価, drafts of the report) and the links that open them. */
export class ReviewStore {
  constructor(private readonly table: SingleTable) {}

  /** The newest review version of a fiscal year, if any. */
  async findLatestReview(planId: string, fiscalYear: FiscalYear): Promise<StoredReview | undefined> {
    const { pk, skPrefix } = keys.reviewsPrefix(planId, fiscalYear);
    const page = await this.table.client.send(
      new QueryCommand({
        TableName: this.table.name,
        KeyConditionExpression: "pk = :pk AND begins_with(sk, :prefix)",
        ExpressionAttributeValues: { ":pk": pk, ":prefix": skPrefix },
        ScanIndexForward: false,
        Limit: 1,
        ConsistentRead: true,
      }),
    );
    return strip<StoredReview>(page.Items?.[0]);
  }

  /** One review version. */
  async findReview(planId: string, fiscalYear: FiscalYear, version: number): Promise<StoredReview | undefined> {
    return strip<StoredReview>(await this.table.get(keys.review(planId, fiscalYear, version)));
  }

  /**
   * Stores the next review version; a version is never overwritten (the put is conditional), so two writers
   * racing for one number make one of them fail with ConflictError instead of losing a draft.
   */
  async putReview(review: StoredReview): Promise<void> {
    const item = { ...keys.review(review.planId, review.fiscalYear, review.version), type: "review", ...review };
    if (!(await this.table.putIfAbsent(item))) throw new ConflictError(`Review v${review.version} exists already`);
  }

  /** Marks a version approved by every step, once; its report then reads 承認済み. */
  markApproved(planId: string, fiscalYear: FiscalYear, version: number, at: string): Promise<boolean> {
    return this.table.setOnce(
      keys.review(planId, fiscalYear, version),
      { status: "approved", approvedAt: at },
      "approvedAt",
    );
  }

  /** Marks a version's circulation ended by a request for changes, once. */
  markChangesRequested(planId: string, fiscalYear: FiscalYear, version: number, at: string): Promise<boolean> {
    return this.table.setOnce(
      keys.review(planId, fiscalYear, version),
      { changesRequestedAt: at },
      "changesRequestedAt",
    );
  }

  /**
   * Marks an approved version published, once, in one transaction with its entry in the site's list (the `SITE`
   * partition): the version says when it went public, and the index lists it, or neither. False when the version
   * was not approved or was published already (the caller reads which).
   */
  async markPublished(published: PublishedVersion): Promise<boolean> {
    const { planId, fiscalYear, version } = published;
    try {
      await this.table.client.send(
        new TransactWriteCommand({
          TransactItems: [
            {
              Update: {
                TableName: this.table.name,
                Key: keys.review(planId, fiscalYear, version),
                UpdateExpression: "SET publishedAt = :at",
                // A draft that was never approved is never public.
                ConditionExpression: "#status = :approved AND attribute_not_exists(publishedAt)",
                ExpressionAttributeNames: { "#status": "status" },
                ExpressionAttributeValues: { ":approved": "approved", ":at": published.publishedAt },
              },
            },
            {
              Put: {
                TableName: this.table.name,
                Item: { ...keys.publication(planId, fiscalYear, version), type: "publication", ...published },
                ConditionExpression: "attribute_not_exists(pk)",
              },
            },
          ],
        }),
      );
      return true;
    } catch (error) {
      if (isConditionFailure(error)) return false;
      throw error;
    }
  }

  /** Every published version of a plan's fiscal year, oldest first. */
  async listPublishedVersions(planId: string, fiscalYear: FiscalYear): Promise<PublishedVersion[]> {
    const items = await this.table.queryPrefix(keys.publicationsOfYearPrefix(planId, fiscalYear), { consistent: true });
    return items.map((item) => strip<PublishedVersion>(item) as PublishedVersion);
  }

  /** Every published version of every plan (the site's index), in key order. */
  async listAllPublishedVersions(): Promise<PublishedVersion[]> {
    const items = await this.table.queryPrefix(keys.publicationsPrefix(), { consistent: true });
    return items.map((item) => strip<PublishedVersion>(item) as PublishedVersion);
  }

  /** Stores a report link (only its hash) for a draft version. */
  async putReportLink(link: ReportLink, linkHash: string): Promise<void> {
    const item = {
      ...keys.reportLink(link.planId, link.fiscalYear, linkHash),
      gsi1pk: keys.linkIndex(linkHash),
      type: "report-link",
      ...link,
    };
    if (!(await this.table.putIfAbsent(item))) throw new ConflictError("Report link token collision");
  }

  /** The draft a report link opens, found by the hash of its token. */
  async findReportLinkByHash(linkHash: string): Promise<ReportLink | undefined> {
    return strip<ReportLink>(await this.table.findByLinkHash(linkHash, "report-link"));
  }
}
