import { diffArrays } from "diff";
import { formatNumber, formatPercent } from "../format.ts";
import type { ReviewFigures } from "../review/figures-summary.ts";

/** What an approver is shown of a version: its figures and its text (the findings and the meeting's decisions). */
export interface VersionContent {
  version: number;
  figures: ReviewFigures;
  secretariatFindings: readonly string[];
  decisions: readonly string[];
}

/** A figure that moved between two versions, as the report shows it. */
export interface FigureChange {
  label: string;
  before: string;
  after: string;
}

/** One piece of a text list compared line by line: kept, added or removed. */
export interface TextPart {
  kind: "same" | "added" | "removed";
  lines: string[];
}

/** What changed from the version an approver last read to the one now circulated. */
export interface VersionChanges {
  fromVersion: number;
  toVersion: number;
  figures: FigureChange[];
  text: Array<{ title: string; parts: TextPart[] }>;
}

/** The figures worth telling an approver about, each with the words it is shown with. */
function namedFigures(figures: ReviewFigures): Map<string, string> {
  const named = new Map<string, string>();
  for (const year of figures.supportedCases) {
    named.set(`${year.fiscalYear}年度 支援件数（合計）`, `${formatNumber(year.total.actual)}件`);
    named.set(`${year.fiscalYear}年度 新規の支援件数`, `${formatNumber(year.newCases.actual)}件`);
    named.set(`${year.fiscalYear}年度 継続の支援件数`, `${formatNumber(year.continuingCases.actual)}件`);
  }
  named.set("計画開始からの累計", `${formatNumber(figures.planToDate.actual)}件`);
  const projected = figures.planToDate.projection.projectedTotal;
  if (projected !== null) named.set("計画期間の見込み", `${formatNumber(Math.round(projected))}件`);
  for (const indicator of figures.indicators) named.set(indicator.name, indicator.display);
  const { answered, expected, answeredRate } = figures.completeness;
  named.set("報告の提出", `${answered}/${expected}（${formatPercent(answeredRate ?? 0)}）`);
  named.set("自動抽出の所見の数", `${figures.findings.length}件`);
  return named;
}

function compareLists(before: readonly string[], after: readonly string[]): TextPart[] {
  return diffArrays([...before], [...after]).map((part) => ({
    kind: part.added ? "added" : part.removed ? "removed" : "same",
    lines: part.value,
  }));
}

/**
 * What changed between two versions: every figure whose shown value moved (old → new), and the findings and
 * decisions compared line by line (the `diff` library's array diff: Japanese has no spaces to diff words by, and a
 * finding is a sentence, so a changed sentence shows as one removed and one added line).
 */
export function versionChanges(before: VersionContent, after: VersionContent): VersionChanges {
  const old = namedFigures(before.figures);
  const figures: FigureChange[] = [];
  for (const [label, value] of namedFigures(after.figures)) {
    const previous = old.get(label);
    if (previous !== value) figures.push({ label, before: previous ?? "—", after: value });
  }
  const findingsText = (content: VersionContent) => content.figures.findings.map((finding) => finding.text);
  return {
    fromVersion: before.version,
    toVersion: after.version,
    figures,
    text: [
      { title: "事務局の所見", parts: compareLists(before.secretariatFindings, after.secretariatFindings) },
      { title: "見直しの方針", parts: compareLists(before.decisions, after.decisions) },
      { title: "自動抽出の所見", parts: compareLists(findingsText(before), findingsText(after)) },
    ].filter((section) => section.parts.some((part) => part.kind !== "same")),
  };
}
