import type { FiscalYear } from "../calendar.ts";
import { formatFiscalYears } from "../format.ts";
import type { Plan } from "../plan.ts";
import { PROJECTION_FORMULA } from "./supported-cases.ts";
import type { Breakdowns, SupportedCasesYear } from "./types.ts";

const SHARED_CASES_NOTE =
  "同じ案件番号を複数の機関が報告した場合、計画全体の件数では1件と数え、機関別の内訳では報告した機関ごとに1件と数えます。このため、機関別の件数の合計は全体の件数を上回ることがあります。";
const SUPPORT_KINDS_NOTE =
  "支援の種類別の内訳では、1件の案件を報告されたすべての種類に数えるため、種類別の合計は全体の件数を上回ることがあります。";
const SUMS_NOTE =
  "売上額と特許出願件数は、四半期ごとの報告値を年度内で合計しています。同じ四半期に複数の機関が同じ案件の値を報告した場合は、二重に数えないよう大きい方の値を採ります。事業化と共同研究は、いずれかの四半期・機関で報告があれば1件と数えます。";
const ATTRIBUTES_NOTE =
  "事業分野・市町村・事業者名が報告によって異なる案件は、最も新しい四半期の報告（同じ四半期では計画で先に挙げた機関の報告）に従って集計しています。";

/** What the notes (付記) are drawn from. */
export interface NotesInput {
  plan: Plan;
  fiscalYear: FiscalYear;
  supportedCases: readonly SupportedCasesYear[];
  breakdowns: Breakdowns;
  /** Cases whose reports gave different first years. */
  firstYearConflicts: number;
}

/** The notes (付記): how the review counted what it counted, with the figures of this year where they apply. */
export function reviewNotes(input: NotesInput): string[] {
  const { plan, fiscalYear, supportedCases, breakdowns, firstYearConflicts } = input;
  const notes = [SHARED_CASES_NOTE];
  if (breakdowns.sharedCases > 0)
    notes.push(`${fiscalYear}年度に複数の機関が報告した案件は${breakdowns.sharedCases}件です。`);
  notes.push(SUPPORT_KINDS_NOTE, SUMS_NOTE, ATTRIBUTES_NOTE);
  const folded = supportedCases.find((year) => year.includesFiscalYears.length > 0);
  if (folded)
    notes.push(
      `${formatFiscalYears(folded.includesFiscalYears)}に支援した案件は、${folded.fiscalYear}年度の目標に合算して評価しています。`,
    );
  if (fiscalYear < plan.targets.firstTargetYear)
    notes.push(
      `${fiscalYear}年度の実績は${plan.targets.firstTargetYear}年度の目標に合算して評価するため、この年度には目標との比較がありません。`,
    );
  if (firstYearConflicts > 0)
    notes.push(
      `支援開始年度が報告によって異なる案件が${firstYearConflicts}件あり、最も早い年度を支援開始年度としています。`,
    );
  notes.push(`計画全体の見込みの算出方法：${PROJECTION_FORMULA}。`);
  return notes;
}
