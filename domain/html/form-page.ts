import type { AnswerFileError } from "../answer-file/read.ts";
import { type FiscalYear, fiscalYearLabel, formatJapaneseDate, type Quarter, quarterLabel } from "../calendar.ts";
import {
  CASE_ID_EXAMPLE,
  isReportedRow,
  KNOWN_CASE_FIELD,
  type QuarterlyReport,
  SUPPORT_KINDS,
  TEXT_LIMITS,
} from "../form.ts";
import type { Institution, Plan } from "../plan.ts";
import type { FieldError } from "../validation.ts";
import { escapeHtml, page } from "./escape.ts";
import { type Choice, errorSummary, type FormValues, FormWriter, inputName } from "./form-fields.ts";

/** What the form page needs to know about its round. */
export interface FormContext {
  plan: Plan;
  institution: Institution;
  fiscalYear: FiscalYear;
  quarter: Quarter;
  deadline: Date;
  /** Versions already submitted; a new submission is then a correction. */
  submittedVersions: number;
  /** Whether the latest version said 報告事項なし. */
  lastSaidNothingToReport?: boolean;
  /**
   * One key per form on the page, rendered into it: posting the same form twice (a double click, a reload) stores
   * one version. A page shown again after an error keeps the key that was posted.
   */
  submissionKeys: { answer: string; nothingToReport: string; file?: string };
  /** Where the answer file is downloaded and uploaded; without it the page offers no file. */
  fileUrl?: string;
  /**
   * The form's own address. A page shown after an upload stands at the file's address, so the forms on it must name
   * where they post; without it they post back to the page's address.
   */
  formUrl?: string;
  /** Why the uploaded file was not taken, listed by its file section; nothing was stored. */
  fileErrors?: readonly AnswerFileError[];
}

/** The largest answer file the web page takes (the Lambda payload limit, base64, leaves no more; see README). */
export const MAX_UPLOAD_FILE_BYTES = 4 * 1024 * 1024;

/** The name of the upload's file field. */
export const ANSWER_FILE_FIELD = "answerFile";

/** Blank rows offered for new cases below the prefilled ones. */
export const SPARE_CASE_ROWS = 3;

/** The name of the hidden field that carries a form's submission key. */
export const SUBMISSION_KEY_FIELD = "submissionKey";

/** The rows to show: every row as it was (posted rows keep their numbers), then blank rows up to the spare count. */
function rowsToShow(cases: FormValues["cases"]): FormValues["cases"] {
  let blankAtEnd = 0;
  for (let index = cases.length - 1; index >= 0 && !isReportedRow(cases[index]) && !isKnown(cases[index]); index--)
    blankAtEnd++;
  return [...cases, ...Array.from({ length: Math.max(0, SPARE_CASE_ROWS - blankAtEnd) }, () => ({}))];
}

function isKnown(row: Record<string, unknown> | undefined): boolean {
  return row?.[KNOWN_CASE_FIELD] === "1";
}

/** The plan's municipalities under their regions, for the municipality field; none when the plan lists none. */
function municipalityChoices(plan: Plan): Array<[string, Choice[]]> {
  const byRegion = new Map<string, Choice[]>();
  for (const municipality of plan.municipalities) {
    const choices = byRegion.get(municipality.region) ?? [];
    choices.push({ value: municipality.name, label: municipality.name });
    byRegion.set(municipality.region, choices);
  }
  return [...byRegion];
}

function caseSection(
  writer: FormWriter,
  row: Record<string, unknown>,
  index: number,
  choices: { fields: Choice[]; kinds: Choice[]; years: Choice[]; municipalities: Array<[string, Choice[]]> },
): string {
  const base = `cases.${index}`;
  // A case reported before keeps its marker through a failed post, so it can still be left out by a blank activity.
  const known = isKnown(row);
  const title = known
    ? `支援案件 ${index + 1}：${escapeHtml(row.businessName ?? "")}`
    : `支援案件 ${index + 1}（新規の案件があれば記入）`;
  const knownMarker = known ? `<input type="hidden" name="${inputName(`${base}.${KNOWN_CASE_FIELD}`)}" value="1">` : "";
  const activityHint = known
    ? `<p class="hint">今期に支援していない場合は空欄のままにしてください（この案件は今期の報告から外れます）。</p>`
    : "";
  const municipality = choices.municipalities.length
    ? writer.select(`${base}.municipality`, "市町村", "Municipality", choices.municipalities)
    : writer.text(`${base}.municipality`, "市町村", "Municipality", {
        required: true,
        maxLength: TEXT_LIMITS.municipality,
      });
  return `<fieldset><legend>${title}</legend>${knownMarker}<div class="grid">
${writer.text(`${base}.caseId`, "案件番号", "Case id", { required: true, maxLength: 40, hint: `例：${CASE_ID_EXAMPLE}（半角英数字とハイフン）` })}
${writer.text(`${base}.businessName`, "事業者・事業名", "Business name", { required: true, maxLength: TEXT_LIMITS.businessName })}
${municipality}
${writer.select(`${base}.field`, "事業分野", "Business field", choices.fields)}
${writer.select(`${base}.firstFiscalYear`, "支援開始年度", "First fiscal year of support", choices.years)}
</div>
${writer.checkboxes(`${base}.supportKinds`, "支援の種類", "Kinds of support", choices.kinds)}
${writer.textarea(`${base}.activity`, "今期の支援内容", "This quarter's activity", { required: !known, maxLength: TEXT_LIMITS.activity })}${activityHint}
<div class="grid">
${writer.checkbox(`${base}.outcomes.commercialised`, "製品化・事業化した", "Commercialised")}
${writer.checkbox(`${base}.outcomes.jointResearch`, "共同研究を実施した", "Joint research")}
${writer.number(`${base}.outcomes.salesYen`, "売上額（円）", "Sales (yen)")}
${writer.number(`${base}.outcomes.patentApplications`, "特許出願件数", "Patent applications")}
</div></fieldset>`;
}

function actionOf(context: FormContext): string {
  return context.formUrl ? ` action="${escapeHtml(context.formUrl)}"` : "";
}

function keyField(key: string): string {
  return `<input type="hidden" name="${SUBMISSION_KEY_FIELD}" value="${escapeHtml(key)}">`;
}

/** The short form for a quarter with nothing to report: one button, no fields to fill. */
function nothingToReportForm(context: FormContext, errors: readonly FieldError[]): string {
  const error = errors.find((candidate) => candidate.path === "nothingToReport");
  const message = error
    ? `<p class="field-error">${escapeHtml(error.ja)}<span class="en">${escapeHtml(error.en)}</span></p>`
    : "";
  const last = context.lastSaidNothingToReport ? "<p>前回は「報告事項なし」として送信されています。</p>" : "";
  return `<section class="nothing" aria-labelledby="nothing-heading"><h2 id="nothing-heading">今期の報告事項がない場合<span class="en">Nothing to report this quarter</span></h2>
${last}<p class="hint">今期に支援した案件も、相談対応・セミナー・協定締結もなかった場合は、下のボタンで「報告事項なし」として回答できます（未回答とは区別して記録されます）。</p>
<form method="post"${actionOf(context)} accept-charset="utf-8">${keyField(context.submissionKeys.nothingToReport)}<input type="hidden" name="nothingToReport" value="1">${message}<button type="submit" class="secondary">報告事項なしとして送信する</button></form></section>`;
}

/** The workbook to download, and the upload of a filled one (XLSX or CSV), with the last upload's errors if any. */
function answerFileSection(context: FormContext): string {
  if (!context.fileUrl) return "";
  const url = escapeHtml(context.fileUrl);
  const errors = context.fileErrors ?? [];
  const list = errors.length
    ? `<div class="error-summary" role="alert" tabindex="-1" id="file-errors"><h3>ファイルを受け付けられませんでした（${errors.length}件）<span class="en">The file was not accepted</span></h3><p>まだ保存されていません。ファイルを直してからもう一度送信してください。Nothing has been saved yet.</p><ul>${errors
        .map((error) => `<li>${escapeHtml(error.ja)}<span class="en">${escapeHtml(error.en)}</span></li>`)
        .join("")}</ul></div>`
    : "";
  const key = context.submissionKeys.file ? keyField(context.submissionKeys.file) : "";
  const limit = `${MAX_UPLOAD_FILE_BYTES / 1024 / 1024}MB`;
  return `<section class="file" aria-labelledby="file-heading"><h2 id="file-heading">Excel で回答する場合<span class="en">Answering with a workbook</span></h2>
<p class="hint">この照会用の様式（報告機関名と前回までの案件を記入済み）をダウンロードし、記入してからアップロードしてください。照会メールに添付した様式と同じものです。CSV（UTF-8 または Shift_JIS）も受け付けます。</p>
<p><a href="${url}" download>様式（Excel ファイル）をダウンロードする</a></p>
${list}<form method="post" action="${url}#file-heading" enctype="multipart/form-data">${key}<div><label for="f-answer-file">記入済みのファイル（.xlsx または .csv、${limit}まで）<span class="en">Filled workbook or CSV, up to ${limit}</span></label><input type="file" id="f-answer-file" name="${ANSWER_FILE_FIELD}" accept=".xlsx,.csv,application/vnd.openxmlformats-officedocument.spreadsheetml.sheet,text/csv"${errors.length ? ' aria-describedby="file-errors"' : ""}></div><p><button type="submit" class="secondary">ファイルを送信する</button></p></form></section>`;
}

/** The quarterly form: the institution's known cases first, spare rows for new ones, then counts and narrative. */
export function renderFormPage(context: FormContext, values: FormValues, errors: readonly FieldError[] = []): string {
  const { plan, institution, fiscalYear, quarter, deadline } = context;
  const writer = new FormWriter(values, errors);
  const years: Choice[] = [];
  for (let year = plan.period.firstFiscalYear; year <= fiscalYear; year++)
    years.push({ value: String(year), label: fiscalYearLabel(year) });
  const choices = {
    fields: plan.fields.map((field) => ({ value: field.id, label: field.name })),
    kinds: Object.entries(SUPPORT_KINDS).map(([value, label]) => ({ value, label })),
    years,
    municipalities: municipalityChoices(plan),
  };
  const caseSections = rowsToShow(values.cases)
    .map((row, index) => caseSection(writer, row, index, choices))
    .join("\n");
  const correction =
    context.submittedVersions > 0
      ? `<p class="hint">この照会には回答済みです（${context.submittedVersions}回送信）。送信すると修正版として記録され、最後に送信した内容が有効になります。</p>`
      : "";
  const title = `${fiscalYearLabel(fiscalYear)} ${quarterLabel(quarter)} 実施状況報告`;
  return page(
    `${title}｜${institution.name}`,
    `<h1>${escapeHtml(title)}</h1>
<p class="meta">${escapeHtml(plan.name)}<br>報告機関：${escapeHtml(institution.name)}<br>回答期限：${escapeHtml(formatJapaneseDate(deadline, { withTime: true }))}</p>
${errorSummary(errors)}${correction}
${nothingToReportForm(context, errors)}
${context.fileUrl ? '<p class="hint">Excel の様式に記入して回答することもできます（<a href="#file-heading">Excel で回答する場合</a>）。</p>' : ""}
<form method="post"${actionOf(context)} accept-charset="utf-8" novalidate>${keyField(context.submissionKeys.answer)}
<h2>支援案件<span class="en">Supported cases</span></h2>
<p class="hint">前回までに報告した案件を表示しています。今期に支援した案件は「今期の支援内容」を記入してください。今期に支援していない案件は「今期の支援内容」を空欄のままにすると、今期の報告から外れます。新規の案件は空欄の行に記入してください（案件番号は事務局が案件ごとに定めた番号です。複数の機関で同じ案件を支援した場合は同じ番号を使ってください）。</p>
${caseSections}
<h2>件数<span class="en">Counts this quarter</span></h2>
<div class="grid">
${writer.number("counts.consultations", "相談対応件数", "Consultations", { required: true })}
${writer.number("counts.seminarsAndEvents", "セミナー・イベント開催件数", "Seminars and events", { required: true })}
${writer.number("counts.agreementsConcluded", "協定締結件数", "Agreements concluded", { required: true })}
</div>
<h2>取組の概要<span class="en">Narrative</span></h2>
${writer.textarea("narrative.initiatives", "今期の主な取組", "Initiatives", { maxLength: TEXT_LIMITS.narrative })}
${writer.textarea("narrative.issues", "課題", "Issues", { maxLength: TEXT_LIMITS.narrative })}
${writer.textarea("narrative.nextSteps", "今後の予定", "Next steps", { maxLength: TEXT_LIMITS.narrative })}
<p><button type="submit">送信する</button></p>
</form>
${answerFileSection(context)}`,
  );
}

/** The page shown after a stored submission. */
export function renderReceiptPage(input: {
  plan: Plan;
  institution: Institution;
  fiscalYear: FiscalYear;
  quarter: Quarter;
  receiptNumber: string;
  version: number;
  submittedAt: Date;
  nothingToReport: boolean;
  formUrl: string;
}): string {
  const title = `${fiscalYearLabel(input.fiscalYear)} ${quarterLabel(input.quarter)} 実施状況報告`;
  const as = input.nothingToReport ? "「報告事項なし」として" : "";
  const kind =
    input.version > 1 ? `${as}修正版（第${input.version}版）として受け付けました。` : `${as}受け付けました。`;
  return page(
    `受付完了｜${title}`,
    `<h1>ご報告ありがとうございました</h1>
<p>${escapeHtml(input.institution.name)}の${escapeHtml(title)}を${kind}</p>
<p>受付番号<br><span class="receipt" data-testid="receipt-number">${escapeHtml(input.receiptNumber)}</span></p>
<p class="meta">受付日時：${escapeHtml(formatJapaneseDate(input.submittedAt, { withTime: true }))}</p>
<p>照会が締め切られるまでは、同じリンクから内容を修正して再送信できます。<br><a href="${escapeHtml(input.formUrl)}">報告内容を修正する</a></p>
<p class="hint">${escapeHtml(input.plan.secretariat.name)}</p>`,
  );
}

/**
 * Known cases as form rows: what stays true of a case is kept, this quarter's activity is left to fill. Only cases
 * that had begun by the form's fiscal year are offered: a round run late, after later years were reported, must not
 * offer cases that did not exist yet.
 */
export function knownCasesToFormValues(
  cases: ReadonlyArray<{
    caseId: string;
    businessName: string;
    municipality: string;
    field: string;
    firstFiscalYear: number;
    supportKinds: readonly string[];
  }>,
  fiscalYear: FiscalYear,
): FormValues {
  return {
    cases: cases
      .filter((known) => known.firstFiscalYear <= fiscalYear)
      .map((known) => ({
        [KNOWN_CASE_FIELD]: "1",
        caseId: known.caseId,
        businessName: known.businessName,
        municipality: known.municipality,
        field: known.field,
        firstFiscalYear: String(known.firstFiscalYear),
        supportKinds: [...known.supportKinds],
      })),
  };
}

/** A stored answer as form values, so a correction starts from what was last sent. */
export function reportToFormValues(report: QuarterlyReport): FormValues {
  return {
    cases: report.cases.map((reported) => ({
      ...reported,
      [KNOWN_CASE_FIELD]: "1",
      firstFiscalYear: String(reported.firstFiscalYear),
      outcomes: {
        commercialised: reported.outcomes.commercialised,
        jointResearch: reported.outcomes.jointResearch,
        salesYen: String(reported.outcomes.salesYen),
        patentApplications: String(reported.outcomes.patentApplications),
      },
    })),
    counts: Object.fromEntries(Object.entries(report.counts).map(([key, value]) => [key, String(value)])),
    narrative: report.narrative,
  };
}
