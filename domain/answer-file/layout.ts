import { SUPPORT_KINDS, type SupportKind } from "../form.ts";

// The answer workbook's layout, written once: the builder lays the sheets out from it and the reader finds its way
// back through it by header text (never by fixed cell addresses, since people insert rows and columns, and other
// spreadsheet programs re-save a file their own way).

/** A sheet's name as the workbook shows it and in English, for messages. */
export interface SheetName {
  ja: string;
  en: string;
}

export const SHEETS = {
  instructions: { ja: "記入方法", en: "Instructions" },
  cases: { ja: "案件", en: "Cases" },
  summary: { ja: "件数・概要", en: "Counts and narrative" },
  lists: { ja: "選択肢", en: "Lists" },
  about: { ja: "様式情報", en: "About this file" },
} as const satisfies Record<string, SheetName>;

/** What a column of the cases sheet holds: one field of a case, or one kind of support (marked with ○). */
export type CaseColumnKey =
  | "known"
  | "caseId"
  | "businessName"
  | "municipality"
  | "field"
  | "firstFiscalYear"
  | `kind:${SupportKind}`
  | "activity"
  | "commercialised"
  | "jointResearch"
  | "salesYen"
  | "patentApplications";

/** A column of the cases sheet: its header (the first line of the header cell), its English and its width. */
export interface CaseColumn {
  key: CaseColumnKey;
  header: string;
  en: string;
  width: number;
  /** A column the person fills (unlocked), as against the prefilled markers. */
  input: boolean;
}

const kindColumns: CaseColumn[] = (Object.entries(SUPPORT_KINDS) as Array<[SupportKind, string]>).map(
  ([kind, label]) => ({ key: `kind:${kind}`, header: label, en: kind, width: 10, input: true }),
);

/** The cases sheet's columns, left to right. */
export const CASE_COLUMNS: readonly CaseColumn[] = [
  { key: "known", header: "前回までの案件", en: "Reported before", width: 8, input: false },
  { key: "caseId", header: "案件番号", en: "Case id", width: 16, input: true },
  { key: "businessName", header: "事業者・事業名", en: "Business name", width: 28, input: true },
  { key: "municipality", header: "市町村", en: "Municipality", width: 12, input: true },
  { key: "field", header: "事業分野", en: "Business field", width: 18, input: true },
  { key: "firstFiscalYear", header: "支援開始年度", en: "First fiscal year", width: 22, input: true },
  ...kindColumns,
  { key: "activity", header: "今期の支援内容", en: "This quarter's activity", width: 48, input: true },
  { key: "commercialised", header: "製品化・事業化した", en: "Commercialised", width: 10, input: true },
  { key: "jointResearch", header: "共同研究を実施した", en: "Joint research", width: 10, input: true },
  { key: "salesYen", header: "売上額（円）", en: "Sales (yen)", width: 14, input: true },
  { key: "patentApplications", header: "特許出願件数", en: "Patent applications", width: 10, input: true },
];

/** The header above the kind columns, over them all. */
export const KIND_GROUP_HEADER = "支援の種類（該当するものに○）";

/** What the known-case column holds for a case reported before (the form's hidden marker). */
export const KNOWN_MARK = "○";

/** The summary sheet's rows: a label in one cell and the value in the cell to its right. */
export type SummaryKey =
  | "nothingToReport"
  | "counts.consultations"
  | "counts.seminarsAndEvents"
  | "counts.agreementsConcluded"
  | "narrative.initiatives"
  | "narrative.issues"
  | "narrative.nextSteps";

export interface SummaryRow {
  key: SummaryKey;
  label: string;
  en: string;
  note: string;
}

export const SUMMARY_ROWS: readonly SummaryRow[] = [
  {
    key: "nothingToReport",
    label: "報告事項なし",
    en: "Nothing to report",
    note: "今期に支援した案件も、相談対応・セミナー・協定締結もなかった場合だけ○を入れてください（案件シートは空欄のまま）。",
  },
  { key: "counts.consultations", label: "相談対応件数", en: "Consultations", note: "今期の件数（なければ0）" },
  {
    key: "counts.seminarsAndEvents",
    label: "セミナー・イベント開催件数",
    en: "Seminars and events",
    note: "今期の件数（なければ0）",
  },
  {
    key: "counts.agreementsConcluded",
    label: "協定締結件数",
    en: "Agreements concluded",
    note: "今期の件数（なければ0）",
  },
  { key: "narrative.initiatives", label: "今期の主な取組", en: "Initiatives", note: "任意" },
  { key: "narrative.issues", label: "課題", en: "Issues", note: "任意" },
  { key: "narrative.nextSteps", label: "今後の予定", en: "Next steps", note: "任意" },
];

/** Keys of the hidden sheet that says which request the workbook was made for. */
export const ABOUT_KEYS = {
  plan: "plan",
  fiscalYear: "fiscalYear",
  quarter: "quarter",
  institution: "institution",
} as const;

/**
 * A header or label as compared: its first line, width-normalized (NFKC), without spaces, and without a trailing
 * 「（必須）」 or 「※…」 note, so that a header someone annotated still matches.
 */
export function headerKey(text: string): string {
  const [firstLine = ""] = text.split(/\r?\n/);
  return firstLine
    .normalize("NFKC")
    .replace(/\s+/g, "")
    .replace(/\(必須\)$|\*$|※.*$/, "");
}
