import { BatchWriteCommand } from "@aws-sdk/lib-dynamodb";
import type { FiscalYear, Quarter } from "../../../domain/calendar.ts";
import type { ReportedCase } from "../../../domain/form.ts";
import { keys } from "../../../domain/keys.ts";
import { type SingleTable, strip } from "./single-table.ts";

/** A case as an institution last reported it; prefills its next form. */
export interface KnownCase {
  caseId: string;
  businessName: string;
  municipality: string;
  field: string;
  firstFiscalYear: number;
  supportKinds: string[];
  lastReported: { fiscalYear: FiscalYear; quarter: Quarter };
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
   * Remembers the reported cases for prefilling. Derived from the submission, written after its transaction and
   * idempotent, so a retry or a crash in between only delays a prefill; nothing else reads it.
   */
  async rememberCases(
    planId: string,
    institutionId: string,
    cases: readonly ReportedCase[],
    reported: { fiscalYear: FiscalYear; quarter: Quarter },
  ): Promise<void> {
    const puts = cases.map((reportedCase) => ({
      PutRequest: {
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
        },
      },
    }));
    for (let start = 0; start < puts.length; start += 25) {
      let pending: Record<string, (typeof puts)[number][]> | undefined = {
        [this.table.name]: puts.slice(start, start + 25),
      };
      for (let attempt = 0; pending && Object.keys(pending).length > 0 && attempt < 8; attempt++) {
        if (attempt > 0) await new Promise((resolve) => setTimeout(resolve, 50 * 2 ** attempt));
        const result = await this.table.client.send(new BatchWriteCommand({ RequestItems: pending }));
        pending = result.UnprocessedItems as typeof pending;
      }
    }
  }
}
