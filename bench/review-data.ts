/**
 * Generated plans and table items for the review benchmark (bench/review.ts): a plan derived from the reference plan
 * with a given number of institutions, and, year by year, the latest-submission and request items its rounds would
 * have left in the table, shaped exactly as the table's stores write them. Deterministic: a fixed-seed PRNG, no clock.
 */

import { type FiscalYear, QUARTERS, type Quarter, roundDeadline, roundRequestTime } from "../domain/calendar.ts";
import { type ReportedCase, SUPPORT_KINDS, type SupportKind } from "../domain/form.ts";
import { keys } from "../domain/keys.ts";
import { checkPlan, type Plan } from "../domain/plan.ts";
import { seededRandom } from "../local/seeded-random.ts";
import { referencePlan } from "../test/fixtures/plans.ts";

/** One generated size: institutions × cases each institution supports each year, every case in all four answers. */
export interface BenchSize {
  label: string;
  planId: string;
  institutions: number;
  casesPerInstitutionYear: number;
  seed: number;
}

/** The reference plan has 5 institutions and ~30 cases a year (10 new a year, each followed up 3 years). */
export const SIZES: readonly BenchSize[] = [
  { label: "1×", planId: "bench-review-1x", institutions: 5, casesPerInstitutionYear: 6, seed: 1 },
  { label: "10×", planId: "bench-review-10x", institutions: 15, casesPerInstitutionYear: 20, seed: 10 },
  { label: "100×", planId: "bench-review-100x", institutions: 50, casesPerInstitutionYear: 200, seed: 100 },
];

/** The years the generated rounds cover: the target years of the reference plan (its period is 2017–2022). */
export const DATA_YEARS: readonly FiscalYear[] = [2018, 2019, 2020, 2021, 2022];

/** The benchmark's generator: the same seeded one the simulation uses. */
export const prng = seededRandom;

/** The reference plan with `institutions` institutions (`inst-01` …, the first the lead) and targets scaled to the data. */
export function benchPlan(size: BenchSize): Plan {
  const base = referencePlan();
  const casesPerYear = size.institutions * size.casesPerInstitutionYear;
  const institutions = Array.from({ length: size.institutions }, (_, index) => {
    const model = base.institutions[index % base.institutions.length] ?? base.institutions[0];
    const id = `inst-${String(index + 1).padStart(2, "0")}`;
    const round = Math.floor(index / base.institutions.length);
    return {
      id,
      name: round === 0 ? (model?.name ?? id) : `${model?.name ?? id}（${round + 1}）`,
      shortName: round === 0 ? (model?.shortName ?? id) : `${model?.shortName ?? id}${round + 1}`,
      lead: index === 0,
      role: model?.role ?? "",
      contacts: [{ name: "担当", email: `${id}@example.jp` }],
    };
  });
  const checked = checkPlan({
    ...base,
    id: size.planId,
    period: { firstFiscalYear: 2017, lastFiscalYear: 2022 },
    institutions,
    // ~30 cases a year in the reference plan against 10 new a year: keep that ratio.
    targets: { ...base.targets, newCasesPerYear: Math.round((base.targets.newCasesPerYear * casesPerYear) / 30) },
    // The reference plan's approvers name its own institutions, which the generated ones replace; a review needs none.
    approvals: undefined,
  });
  if (!checked.ok) throw new Error(`Generated plan is invalid: ${JSON.stringify(checked.errors)}`);
  return checked.value;
}

interface GeneratedCase {
  caseId: string;
  businessName: string;
  municipality: string;
  field: string;
  firstFiscalYear: FiscalYear;
  supportKinds: SupportKind[];
  /** The last fiscal year the case is supported in (a case runs for up to 3 fiscal years). */
  lastFiscalYear: FiscalYear;
}

/** What one year's items hold, for the benchmark's accounting. */
export interface YearItems {
  fiscalYear: FiscalYear;
  items: Record<string, unknown>[];
  latestItems: number;
  requestItems: number;
  caseRows: number;
  /** JSON size of the latest-submission items and of the request items, a proxy for the bytes a Query returns. */
  latestBytes: number;
  requestBytes: number;
  /** Distinct case ids in this year and the years before: what the review keeps one small record of. */
  distinctCases: number;
}

const ACTIVITIES = [
  "試作品の評価試験を実施し、改良点について助言した。",
  "展示会への出展を支援し、商談先の紹介を行った。",
  "設備導入に向けた資金計画の相談に対応した。",
  "共同研究の実施計画を企業と協議し、分担を決めた。",
  "販路開拓のため道外バイヤーとの商談会を設定した。",
  "品質管理体制の構築について現地で指導した。",
  "特許出願に向けた先行技術調査を支援した。",
  "人材育成のための技術研修を実施した。",
] as const;
const BUSINESS_WORDS = ["北のめぐみ", "十勝テック", "道央精機", "オホーツク水産", "石狩フーズ", "釧路ラボ"] as const;
const SUPPORT_KIND_IDS = Object.keys(SUPPORT_KINDS) as SupportKind[];

/**
 * Generates the rounds of one plan year by year. Each institution supports `casesPerInstitutionYear` cases each
 * year; a case runs for 1 to 3 fiscal years (cases current in 2018 may have started in 2017), then new cases take
 * its place. A few new places are taken by a case another institution already supports (a shared case).
 */
export class RoundGenerator {
  private readonly random: () => number;
  private readonly active = new Map<string, GeneratedCase[]>();
  private nextCase = 1;

  constructor(
    readonly plan: Plan,
    readonly size: BenchSize,
  ) {
    this.random = prng(size.seed);
  }

  private pick<T>(values: readonly T[]): T {
    const value = values[Math.floor(this.random() * values.length)];
    if (value === undefined) throw new Error("pick from an empty list");
    return value;
  }

  private newCase(fiscalYear: FiscalYear): GeneratedCase {
    const municipality = this.pick(this.plan.municipalities);
    const number = this.nextCase++;
    const startedEarlier = fiscalYear === DATA_YEARS[0] && this.random() < 0.3;
    const firstFiscalYear = startedEarlier ? fiscalYear - 1 : fiscalYear;
    const kinds = SUPPORT_KIND_IDS.filter(() => this.random() < 0.25);
    return {
      caseId: `${this.size.planId.slice(-4)}-C${String(number).padStart(6, "0")}`,
      businessName: `株式会社${this.pick(BUSINESS_WORDS)}${number}`,
      municipality: municipality.name,
      field: this.pick(municipality.fields),
      firstFiscalYear,
      supportKinds: kinds.length > 0 ? kinds : [this.pick(SUPPORT_KIND_IDS)],
      lastFiscalYear: firstFiscalYear + Math.floor(this.random() * 3),
    };
  }

  /** The items of one fiscal year: every institution's latest answer to each quarter and its four requests. */
  year(fiscalYear: FiscalYear): YearItems {
    const { plan, size } = this;
    const currentAnywhere: GeneratedCase[] = [];
    const casesOf = new Map<string, GeneratedCase[]>();
    for (const institution of plan.institutions) {
      const cases = (this.active.get(institution.id) ?? []).filter((c) => c.lastFiscalYear >= fiscalYear);
      const held = new Set(cases.map((c) => c.caseId));
      while (cases.length < size.casesPerInstitutionYear) {
        const shared = currentAnywhere.length > 0 && this.random() < 0.05 ? this.pick(currentAnywhere) : undefined;
        const next = shared && !held.has(shared.caseId) ? shared : this.newCase(fiscalYear);
        held.add(next.caseId);
        cases.push(next);
      }
      this.active.set(institution.id, cases);
      casesOf.set(institution.id, cases);
      currentAnywhere.push(...cases);
    }

    const items: Record<string, unknown>[] = [];
    let caseRows = 0;
    let latestBytes = 0;
    let requestBytes = 0;
    const push = (item: Record<string, unknown>) => {
      items.push(item);
      const bytes = Buffer.byteLength(JSON.stringify(item));
      if (item.type === "request") requestBytes += bytes;
      else latestBytes += bytes;
    };
    for (const institution of plan.institutions) {
      const cases = casesOf.get(institution.id) ?? [];
      for (const quarter of QUARTERS) {
        const requested = roundRequestTime(fiscalYear, quarter, plan.collection);
        const deadline = roundDeadline(fiscalYear, quarter, plan.collection);
        const onTime = this.random() < 0.9;
        const day = 24 * 60 * 60 * 1000;
        const answeredAt = new Date(
          onTime
            ? deadline.getTime() - Math.floor(this.random() * 10 * day)
            : deadline.getTime() + Math.ceil(this.random() * 6 * day),
        );
        const corrected = this.random() < 0.05;
        const version = corrected ? 2 : 1;
        const submittedAt = corrected ? new Date(answeredAt.getTime() + 2 * day) : answeredAt;
        const rows: ReportedCase[] = cases.map((c) => {
          const commercialised = this.random() < 0.1;
          return {
            caseId: c.caseId,
            businessName: c.businessName,
            municipality: c.municipality,
            field: c.field,
            firstFiscalYear: c.firstFiscalYear,
            supportKinds: c.supportKinds,
            activity: this.pick(ACTIVITIES),
            outcomes: {
              commercialised,
              salesYen: commercialised ? Math.floor(this.random() * 5_000_000) : 0,
              patentApplications: this.random() < 0.03 ? 1 : 0,
              jointResearch: this.random() < 0.15,
            },
          };
        });
        caseRows += rows.length;
        push({
          ...keys.latestSubmission(plan.id, fiscalYear, quarter, institution.id),
          type: "latest-submission",
          planId: plan.id,
          fiscalYear,
          quarter,
          institutionId: institution.id,
          version,
          submittedAt: submittedAt.toISOString(),
          channel: this.random() < 0.9 ? "web-form" : "email",
          report: {
            cases: rows,
            counts: {
              consultations: Math.floor(this.random() * 40),
              seminarsAndEvents: Math.floor(this.random() * 4),
              agreementsConcluded: Math.floor(this.random() * 2),
            },
            narrative: {
              initiatives: `${institution.shortName}では${this.pick(ACTIVITIES)}`,
              issues: this.random() < 0.5 ? "支援人員の確保が課題である。" : "",
              nextSteps: "次の四半期も継続して支援する。",
            },
          },
        });
        const linkHash = this.hex(64);
        push({
          ...keys.request(plan.id, fiscalYear, quarter as Quarter, institution.id),
          gsi1pk: keys.linkIndex(linkHash),
          type: "request",
          planId: plan.id,
          fiscalYear,
          quarter,
          institutionId: institution.id,
          status: "answered",
          deadline: deadline.toISOString(),
          emailedAt: requested.toISOString(),
          answeredAt: answeredAt.toISOString(),
          answeredOnTime: onTime,
          latestVersion: version,
          linkHash,
          taskToken: this.hex(256),
        });
      }
    }
    const institutions = plan.institutions.length;
    return {
      fiscalYear,
      items,
      latestItems: institutions * QUARTERS.length,
      requestItems: institutions * QUARTERS.length,
      caseRows,
      latestBytes,
      requestBytes,
      distinctCases: this.nextCase - 1,
    };
  }

  private hex(length: number): string {
    let text = "";
    while (text.length < length)
      text += Math.floor(this.random() * 0x100000000)
        .toString(16)
        .padStart(8, "0");
    return text.slice(0, length);
  }
}
