import { formatJapaneseDate } from "../calendar.ts";
import { type QuarterlyReport, SUPPORT_KINDS, type SupportKind } from "../form.ts";
import { formatNumber } from "../format.ts";
import type { Plan } from "../plan.ts";

/** One stored version of an answer, as the round page compares them. */
export interface AnswerVersion {
  version: number;
  submittedAt: string;
  channel: string;
  report: QuarterlyReport;
}

/** One line of the comparison: what a field read in each version, and in which versions it changed. */
export interface ComparedField {
  label: string;
  values: string[];
  /** changed[i]: version i reads differently from version i-1 (never true for the first). */
  changed: boolean[];
}

function caseFields(plan: Plan, supported: QuarterlyReport["cases"][number]): [string, string][] {
  const field = plan.fields.find((candidate) => candidate.id === supported.field)?.name ?? supported.field;
  const outcomes = supported.outcomes;
  return [
    ["事業者・事業名", supported.businessName],
    ["市町村", supported.municipality],
    ["事業分野", field],
    ["支援開始年度", `${supported.firstFiscalYear}年度`],
    ["支援の種類", supported.supportKinds.map((kind) => SUPPORT_KINDS[kind as SupportKind] ?? kind).join("、")],
    ["今期の支援内容", supported.activity],
    [
      "成果",
      [
        outcomes.commercialised ? "事業化" : "",
        outcomes.salesYen ? `売上${formatNumber(outcomes.salesYen)}円` : "",
        outcomes.patentApplications ? `特許出願${outcomes.patentApplications}件` : "",
        outcomes.jointResearch ? "共同研究" : "",
      ]
        .filter(Boolean)
        .join("、"),
    ],
  ];
}

/** An answer as labelled lines; cases are keyed by their case id, so a moved row still compares with itself. */
function answerFields(plan: Plan, report: QuarterlyReport): Map<string, string> {
  const fields = new Map<string, string>([
    ["報告事項なし", report.nothingToReport ? "はい" : "いいえ"],
    ["相談対応件数", formatNumber(report.counts.consultations)],
    ["セミナー・イベント開催件数", formatNumber(report.counts.seminarsAndEvents)],
    ["協定締結件数", formatNumber(report.counts.agreementsConcluded)],
  ]);
  for (const supported of report.cases)
    for (const [label, value] of caseFields(plan, supported))
      fields.set(`支援案件 ${supported.caseId}：${label}`, value);
  fields.set("今期の主な取組", report.narrative.initiatives ?? "");
  fields.set("課題", report.narrative.issues ?? "");
  fields.set("今後の予定", report.narrative.nextSteps ?? "");
  return fields;
}

/**
 * An institution's answer versions side by side: every field any version has, in the order first seen, with what it
 * read in each version ("—" where a version lacks it, e.g. a case added later) and where it changed.
 */
export function compareAnswerVersions(plan: Plan, versions: readonly AnswerVersion[]): ComparedField[] {
  const perVersion = versions.map((version) => answerFields(plan, version.report));
  const labels = [...new Set(perVersion.flatMap((fields) => [...fields.keys()]))];
  return labels.map((label) => {
    const values = perVersion.map((fields) => fields.get(label) ?? "—");
    return { label, values, changed: values.map((value, index) => index > 0 && value !== values[index - 1]) };
  });
}

/** A version's column heading: 第2版（令和7年10月3日 14:05・回答フォーム）. */
export function versionHeading(version: AnswerVersion, channelName: string): string {
  return `第${version.version}版（${formatJapaneseDate(new Date(version.submittedAt), { withTime: true })}・${channelName}）`;
}
