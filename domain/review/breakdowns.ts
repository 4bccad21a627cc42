import type { FiscalYear } from "../calendar.ts";
import { SUPPORT_KINDS } from "../form.ts";
import type { Plan } from "../plan.ts";
import type { InstitutionOrder } from "./institution-order.ts";
import type { BreakdownRow, Breakdowns, InstitutionRow } from "./types.ts";
import type { YearActivity } from "./year-activity.ts";

/** The region of a case whose municipality is not in the plan's list. */
export const OTHER_REGION = "その他";

function normalizeName(name: string): string {
  return name.normalize("NFKC").trim();
}

function institutionRows(plan: Plan, activity: YearActivity, order: InstitutionOrder): InstitutionRow[] {
  const institutionIds = [
    ...plan.institutions.map((institution) => institution.id),
    ...[...activity.institutions.keys()].filter((id) => !order.has(id)).sort(),
  ];
  return institutionIds.map((id) => {
    const entry = activity.institutions.get(id);
    return {
      key: id,
      label: order.name(id),
      cases: entry?.cases.size ?? 0,
      consultations: entry?.consultations ?? 0,
      seminarsAndEvents: entry?.seminarsAndEvents ?? 0,
      agreementsConcluded: entry?.agreementsConcluded ?? 0,
      quartersReported: entry?.quarters.size ?? 0,
    };
  });
}

/**
 * The year's distinct cases by institution, business field, region and kind of support. Every row the plan names is
 * kept, even with no case, so that a gap shows; a field or municipality the plan does not list gets a row of its own.
 */
export function breakdowns(
  plan: Plan,
  fiscalYear: FiscalYear,
  activity: YearActivity,
  order: InstitutionOrder,
): Breakdowns {
  const fieldRows = new Map<string, BreakdownRow>(
    plan.fields.map((field) => [field.id, { key: field.id, label: field.name, cases: 0 }]),
  );
  const regionOf = new Map(
    plan.municipalities.map((municipality) => [normalizeName(municipality.name), municipality.region]),
  );
  const regionRows = new Map<string, BreakdownRow>();
  for (const municipality of plan.municipalities)
    if (!regionRows.has(municipality.region))
      regionRows.set(municipality.region, { key: municipality.region, label: municipality.region, cases: 0 });
  const kindRows = new Map<string, BreakdownRow>(
    Object.entries(SUPPORT_KINDS).map(([key, label]) => [key, { key, label, cases: 0 }]),
  );
  const extraFields: BreakdownRow[] = [];
  let sharedCases = 0;

  for (const entry of activity.cases.values()) {
    if (entry.institutions.length > 1) sharedCases++;
    let fieldRow = fieldRows.get(entry.field);
    if (!fieldRow) {
      // A field removed from the plan after it was reported still has its cases shown, under its id.
      fieldRow = { key: entry.field, label: entry.field, cases: 0 };
      fieldRows.set(entry.field, fieldRow);
      extraFields.push(fieldRow);
    }
    fieldRow.cases++;
    const region = regionOf.get(normalizeName(entry.municipality)) ?? OTHER_REGION;
    let regionRow = regionRows.get(region);
    if (!regionRow) {
      regionRow = { key: region, label: region, cases: 0 };
      regionRows.set(region, regionRow);
    }
    regionRow.cases++;
    for (const kind of entry.kinds) {
      const kindRow = kindRows.get(kind);
      if (kindRow) kindRow.cases++;
    }
  }

  return {
    fiscalYear,
    cases: activity.cases.size,
    sharedCases,
    byInstitution: institutionRows(plan, activity, order),
    byField: [
      ...plan.fields.flatMap((field) => fieldRows.get(field.id) ?? []),
      ...extraFields.sort((a, b) => (a.key < b.key ? -1 : a.key > b.key ? 1 : 0)),
    ],
    byRegion: [...regionRows.values()],
    bySupportKind: [...kindRows.values()],
  };
}
