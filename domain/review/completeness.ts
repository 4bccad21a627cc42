import { type FiscalYear, QUARTERS } from "../calendar.ts";
import type { Plan } from "../plan.ts";
import { isOnTime, type RoundRequest } from "../round.ts";
import { ratioOrNull } from "../targets.ts";
import type { AnswerStatus, InstitutionCompleteness, ReportingCompleteness } from "./types.ts";

function answerStatus(request: RoundRequest | undefined): AnswerStatus {
  if (request?.status !== "answered") return "missing";
  // Requests answered before `answeredOnTime` was recorded are judged from their own timestamps.
  const onTime =
    request.answeredOnTime ??
    (request.answeredAt !== undefined && isOnTime(new Date(request.answeredAt), new Date(request.deadline)));
  return onTime ? "on-time" : "late";
}

/**
 * Completeness of a fiscal year's reporting: each of the plan's institutions is expected once per quarter; a quarter
 * with no request, or a request never answered, is missing. Requests of other plans or years are ignored.
 */
export function reportingCompleteness(
  plan: Plan,
  fiscalYear: FiscalYear,
  requests: readonly RoundRequest[],
): ReportingCompleteness {
  const byKey = new Map<string, RoundRequest>();
  for (const request of requests)
    if (request.planId === plan.id && request.fiscalYear === fiscalYear)
      byKey.set(`${request.institutionId}#${request.quarter}`, request);

  const byInstitution: InstitutionCompleteness[] = plan.institutions.map((institution) => {
    const quarters = QUARTERS.map((quarter) => {
      const request = byKey.get(`${institution.id}#${quarter}`);
      const status = answerStatus(request);
      return {
        quarter,
        status,
        nothingToReport: status !== "missing" && request?.nothingToReport === true,
        answeredAt: status === "missing" ? null : (request?.answeredAt ?? null),
      };
    });
    return {
      institutionId: institution.id,
      name: institution.shortName,
      quarters,
      answered: quarters.filter((quarter) => quarter.status !== "missing").length,
      onTime: quarters.filter((quarter) => quarter.status === "on-time").length,
      nothingToReport: quarters.filter((quarter) => quarter.nothingToReport).length,
    };
  });

  const byQuarter = QUARTERS.map((quarter, index) => {
    const statuses = byInstitution.map((row) => ({
      id: row.institutionId,
      status: row.quarters[index]?.status,
      nothingToReport: row.quarters[index]?.nothingToReport === true,
    }));
    return {
      quarter,
      expected: statuses.length,
      answered: statuses.filter((entry) => entry.status !== "missing").length,
      onTime: statuses.filter((entry) => entry.status === "on-time").length,
      nothingToReport: statuses.filter((entry) => entry.nothingToReport).length,
      missing: statuses.filter((entry) => entry.status === "missing").map((entry) => entry.id),
    };
  });

  const expected = plan.institutions.length * QUARTERS.length;
  const answered = byInstitution.reduce((sum, row) => sum + row.answered, 0);
  const onTime = byInstitution.reduce((sum, row) => sum + row.onTime, 0);
  return {
    expected,
    answered,
    onTime,
    late: answered - onTime,
    missing: expected - answered,
    nothingToReport: byInstitution.reduce((sum, row) => sum + row.nothingToReport, 0),
    answeredRate: ratioOrNull(answered, expected),
    onTimeRate: ratioOrNull(onTime, expected),
    byInstitution,
    byQuarter,
  };
}
