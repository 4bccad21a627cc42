import type { Plan } from "../plan.ts";
import type { Review } from "../review/types.ts";
import {
  breakdownTable,
  byInstitutionTable,
  completenessByQuarterTable,
  completenessTable,
} from "./activity-tables.ts";
import { type Audience, showsBusinessNames } from "./audience.ts";
import type { ReportTable } from "./table-types.ts";
import {
  followUpMissedTable,
  followUpTable,
  indicatorsTable,
  planToDateTable,
  summaryTable,
  supportedCasesTable,
} from "./target-tables.ts";

/**
 * Every table of the report, in the order of `TABLE_NAMES`, as plain data, with the columns the audience may read
 * (pass a review already made for that audience: `reviewForAudience`).
 */
export function reportTables(review: Review, plan: Plan, audience: Audience = "secretariat"): ReportTable[] {
  const { breakdowns } = review;
  return [
    summaryTable(review),
    supportedCasesTable(review),
    followUpTable(review),
    followUpMissedTable(review, showsBusinessNames(plan, audience)),
    planToDateTable(review),
    byInstitutionTable(review),
    breakdownTable(review, "by-field", "事業分野別の支援案件数", "事業分野", breakdowns.byField, "構成比"),
    breakdownTable(review, "by-region", "地域別の支援案件数", "地域", breakdowns.byRegion, "構成比"),
    breakdownTable(
      review,
      "by-support-kind",
      "支援の種類別の支援案件数",
      "支援の種類",
      breakdowns.bySupportKind,
      "支援案件に占める割合",
    ),
    indicatorsTable(review),
    completenessTable(review),
    completenessByQuarterTable(review, plan),
  ];
}
