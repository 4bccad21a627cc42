import { PutCommand } from "@aws-sdk/lib-dynamodb";
import type { FiscalYear, Quarter } from "../../../domain/calendar.ts";
import type { ReportedCase } from "../../../domain/form.ts";
import { keys } from "../../../domain/keys.ts";
import { isConditionFailure, type SingleTable, strip } from "./single-table.ts";

/** Which answer a known case was last taken from. */
export interface ReportedIn {
  fiscalYear: FiscalYear;
  quarter: Quarter;
  /** When that answer (version) was stored; orders corrections within one round. */
  submittedAt: string;
}

/** A case as an institution last reported it; prefills its next form. */
export interface KnownCase {
  caseId: string;
  businessName: string;
  municipality: string;
  field: string;
  firstFiscalYear: number;
  supportKinds: string[];
  lastReported: ReportedIn;
}

/** Puts at once; DynamoDB takes far more, this only keeps one answer's burst polite. */
const CONCURRENT_PUTS = 8;

/**
 * Sorts answers by when they describe: fiscal year, then quarter, then when they were stored. Fixed-width parts, so
 * the strings compare in the table's condition as they would here.
 */
export function reportedOrder(reported: ReportedIn): string {
  return `${String(reported.fiscalYear).padStart(4, "0")}Q${reported.quarter}#${reported.submittedAt}`;
}

/** The cases each institution has reported (支援案件), kept to prefill its next form. */
export class KnownCaseStore {
  constructor(private readonly table: SingleTable) {}

  /** The cases an institution has reported, to prefill its next form. */
  async listKnownCases(planId: string, institutionId: string): Promise<KnownCase[]> {
    const items = await this.table.queryPrefix(keys.casesSeenPrefix(planId, institutionId));
    return items.map((item) => strip<KnownCase>(item) as KnownCase);
  }

  /**
   * Remembers the reported cases for prefilling, each only if no newer answer described it already: a late
   * correction of an old quarter never overwrites what a later quarter said of the case. Idempotent, so it can be
   * repeated at will; any failure other than "a newer answer won" is thrown, never swallowed.
   */
  async rememberCases(
    planId: string,
    institutionId: string,
    cases: readonly ReportedCase[],
    reported: ReportedIn,
  ): Promise<{ written: number; keptNewer: number }> {
    const order = reportedOrder(reported);
    let written = 0;
    let keptNewer = 0;
    const remember = async (reportedCase: ReportedCase) => {
      try {
        await this.table.client.send(
          new PutCommand({
            TableName: this.table.name,
            Item: {
              ...keys.caseSeen(planId, institutionId, reportedCase.caseId),
              type: "case-seen",
              caseId: reportedCase.caseId,
              businessName: reportedCase.businessName,
              municipality: reportedCase.municipality,
              field: reportedCase.field,
              firstFiscalYear: reportedCase.firstFiscalYear,
              supportKinds: reportedCase.supportKinds,
              lastReported: reported,
              reportedOrder: order,
            },
            ConditionExpression:
              "attribute_not_exists(pk) OR attribute_not_exists(reportedOrder) OR reportedOrder <= :order",
            ExpressionAttributeValues: { ":order": order },
          }),
        );
        written++;
      } catch (error) {
        if (!isConditionFailure(error)) throw error;
        keptNewer++;
      }
    };
    for (let start = 0; start < cases.length; start += CONCURRENT_PUTS)
      await Promise.all(cases.slice(start, start + CONCURRENT_PUTS).map(remember));
    return { written, keptNewer };
  }
}
