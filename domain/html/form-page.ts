import { type FiscalYear, fiscalYearLabel, formatJapaneseDate, type Quarter, quarterLabel } from "../calendar.ts";
import { KNOWN_CASE_FIELD, SUPPORT_KINDS, TEXT_LIMITS } from "../form.ts";
import type { Institution, Plan } from "../plan.ts";
import type { FieldError } from "../validation.ts";
import { escapeHtml, page } from "./escape.ts";

/** Raw form values as typed (strings, checkbox lists), used to fill the form and to keep input after an error. */
export interface FormValues {
  cases: Array<Record<string, unknown>>;
  counts?: Record<string, unknown>;
  narrative?: Record<string, unknown>;
}

/** What the form page needs to know about its round. */
export interface FormContext {
  plan: Plan;
  institution: Institution;
  fiscalYear: FiscalYear;
  quarter: Quarter;
  deadline: Date;
  /** Versions already submitted; a new submission is then a correction. */
  submittedVersions: number;
}

/** Blank rows offered for new cases below the prefilled ones. */
export const SPARE_CASE_ROWS = 3;

function fieldId(path: string): string {
  return `f-${path.replaceAll(".", "-")}`;
}

function valueAt(values: FormValues, path: string): unknown {
  let current: unknown = values;
  for (const segment of path.split(".")) {
    if (current === null || typeof current !== "object") return undefined;
    current = (current as Record<string, unknown>)[segment];
  }
  return current;
}

function inputName(path: string): string {
  const [first, ...rest] = path.split(".");
  return `${first}${rest.map((segment) => `[${segment}]`).join("")}`;
}

class FormWriter {
  private readonly errorsByPath: Map<string, FieldError>;
  constructor(
    private readonly values: FormValues,
    errors: readonly FieldError[],
  ) {
    this.errorsByPath = new Map(errors.map((error) => [error.path, error]));
  }

  private errorAttributes(path: string): { attributes: string; message: string } {
    const error = this.errorsByPath.get(path);
    if (!error) return { attributes: "", message: "" };
    const messageId = `${fieldId(path)}-error`;
    return {
      attributes: ` aria-invalid="true" aria-describedby="${messageId}"`,
      message: `<p class="field-error" id="${messageId}">${escapeHtml(error.ja)}<span class="en">${escapeHtml(error.en)}</span></p>`,
    };
  }

  private label(path: string, ja: string, en: string, required: boolean): string {
    const mark = required ? "（必須）" : "";
    return `<label for="${fieldId(path)}">${escapeHtml(ja)}${mark}<span class="en">${escapeHtml(en)}</span></label>`;
  }

  text(path: string, ja: string, en: string, options: { required?: boolean; maxLength?: number; list?: string } = {}) {
    const { attributes, message } = this.errorAttributes(path);
    const max = options.maxLength ? ` maxlength="${options.maxLength}"` : "";
    const list = options.list ? ` list="${options.list}"` : "";
    return `<div>${this.label(path, ja, en, options.required ?? false)}<input type="text" id="${fieldId(path)}" name="${inputName(path)}" value="${escapeHtml(valueAt(this.values, path))}"${max}${list}${attributes}>${message}</div>`;
  }

  number(path: string, ja: string, en: string, options: { required?: boolean } = {}) {
    const { attributes, message } = this.errorAttributes(path);
    return `<div>${this.label(path, ja, en, options.required ?? false)}<input type="text" inputmode="numeric" id="${fieldId(path)}" name="${inputName(path)}" value="${escapeHtml(valueAt(this.values, path))}"${attributes}>${message}</div>`;
  }

  textarea(path: string, ja: string, en: string, options: { required?: boolean; maxLength: number }) {
    const { attributes, message } = this.errorAttributes(path);
    return `<div>${this.label(path, ja, en, options.required ?? false)}<textarea id="${fieldId(path)}" name="${inputName(path)}" maxlength="${options.maxLength}"${attributes}>${escapeHtml(valueAt(this.values, path))}</textarea>${message}</div>`;
  }

  select(path: string, ja: string, en: string, choices: Array<{ value: string; label: string }>) {
    const { attributes, message } = this.errorAttributes(path);
    const current = String(valueAt(this.values, path) ?? "");
    const options = [{ value: "", label: "選択してください" }, ...choices]
      .map(
        (choice) =>
          `<option value="${escapeHtml(choice.value)}"${choice.value === current ? " selected" : ""}>${escapeHtml(choice.label)}</option>`,
      )
      .join("");
    return `<div>${this.label(path, ja, en, true)}<select id="${fieldId(path)}" name="${inputName(path)}"${attributes}>${options}</select>${message}</div>`;
  }

  checkboxes(path: string, ja: string, en: string, choices: Array<{ value: string; label: string }>) {
    const { attributes, message } = this.errorAttributes(path);
    const raw = valueAt(this.values, path);
    const checked = new Set((Array.isArray(raw) ? raw : raw === undefined ? [] : [raw]).map(String));
    const boxes = choices
      .map((choice, index) => {
        const id = `${fieldId(path)}-${index}`;
        return `<label for="${id}"><input type="checkbox" id="${id}" name="${inputName(path)}[]" value="${escapeHtml(choice.value)}"${checked.has(choice.value) ? " checked" : ""}> ${escapeHtml(choice.label)}</label>`;
      })
      .join("");
    return `<fieldset class="checks" id="${fieldId(path)}"${attributes}><legend>${escapeHtml(ja)}（1つ以上）<span class="en">${escapeHtml(en)}</span></legend>${boxes}${message}</fieldset>`;
  }

  checkbox(path: string, ja: string, en: string) {
    const raw = valueAt(this.values, path);
    const checked = raw === true || raw === "on" || raw === "true";
    return `<div class="checks"><label for="${fieldId(path)}"><input type="checkbox" id="${fieldId(path)}" name="${inputName(path)}"${checked ? " checked" : ""}> ${escapeHtml(ja)}<span class="en">${escapeHtml(en)}</span></label></div>`;
  }
}

function errorSummary(errors: readonly FieldError[]): string {
  if (errors.length === 0) return "";
  const items = errors
    .map(
      (error) =>
        `<li><a href="#${fieldId(error.path)}">${escapeHtml(error.ja)}</a><span class="en">${escapeHtml(error.en)}</span></li>`,
    )
    .join("");
  return `<div class="error-summary" role="alert" tabindex="-1" id="error-summary"><h2>入力内容を確認してください（${errors.length}件）<span class="en">Please correct ${errors.length} field(s)</span></h2><p>まだ保存されていません。Nothing has been saved yet.</p><ul>${items}</ul></div>`;
}

/** The quarterly form: the institution's known cases first, spare rows for new ones, then counts and narrative. */
export function renderFormPage(context: FormContext, values: FormValues, errors: readonly FieldError[] = []): string {
  const { plan, institution, fiscalYear, quarter, deadline } = context;
  const writer = new FormWriter(values, errors);
  const fields = plan.fields.map((field) => ({ value: field.id, label: field.name }));
  const kinds = Object.entries(SUPPORT_KINDS).map(([value, label]) => ({ value, label }));
  const years: Array<{ value: string; label: string }> = [];
  for (let year = plan.period.firstFiscalYear; year <= fiscalYear; year++)
    years.push({ value: String(year), label: fiscalYearLabel(year) });
  const rows = [...values.cases];
  const spare = Math.max(SPARE_CASE_ROWS, 0);
  for (let index = 0; index < spare; index++) rows.push({});
  const caseSections = rows
    .map((_, index) => {
      const base = `cases.${index}`;
      // A case reported before keeps its marker through a failed post, so it can still be left out by a blank activity.
      const known = values.cases[index]?.[KNOWN_CASE_FIELD] === "1";
      const title = known
        ? `支援案件 ${index + 1}：${escapeHtml(values.cases[index]?.businessName ?? "")}`
        : `支援案件 ${index + 1}（新規の案件があれば記入）`;
      const knownMarker = known
        ? `<input type="hidden" name="${inputName(`${base}.${KNOWN_CASE_FIELD}`)}" value="1">`
        : "";
      const activityHint = known
        ? `<p class="hint">今期に支援していない場合は空欄のままにしてください（この案件は今期の報告から外れます）。</p>`
        : "";
      return `<fieldset><legend>${title}</legend>${knownMarker}<div class="grid">
${writer.text(`${base}.caseId`, "案件番号", "Case id", { required: true, maxLength: 40 })}
${writer.text(`${base}.businessName`, "事業者・事業名", "Business name", { required: true, maxLength: TEXT_LIMITS.businessName })}
${writer.text(`${base}.municipality`, "市町村", "Municipality", { required: true, maxLength: TEXT_LIMITS.municipality, list: "municipalities" })}
${writer.select(`${base}.field`, "事業分野", "Business field", fields)}
${writer.select(`${base}.firstFiscalYear`, "支援開始年度", "First fiscal year of support", years)}
</div>
${writer.checkboxes(`${base}.supportKinds`, "支援の種類", "Kinds of support", kinds)}
${writer.textarea(`${base}.activity`, "今期の支援内容", "This quarter's activity", { required: !known, maxLength: TEXT_LIMITS.activity })}${activityHint}
<div class="grid">
${writer.checkbox(`${base}.outcomes.commercialised`, "製品化・事業化した", "Commercialised")}
${writer.checkbox(`${base}.outcomes.jointResearch`, "共同研究を実施した", "Joint research")}
${writer.number(`${base}.outcomes.salesYen`, "売上額（円）", "Sales (yen)")}
${writer.number(`${base}.outcomes.patentApplications`, "特許出願件数", "Patent applications")}
</div></fieldset>`;
    })
    .join("\n");
  const municipalities = plan.municipalities
    .map((municipality) => `<option value="${escapeHtml(municipality.name)}">`)
    .join("");
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
<form method="post" accept-charset="utf-8" novalidate>
<h2>支援案件<span class="en">Supported cases</span></h2>
<p class="hint">前回までに報告した案件を表示しています。今期に支援した案件は「今期の支援内容」を記入してください。今期に支援していない案件は「今期の支援内容」を空欄のままにすると、今期の報告から外れます。新規の案件は空欄の行に記入してください（案件番号は事務局が案件ごとに定めた番号です。複数の機関で同じ案件を支援した場合は同じ番号を使ってください）。</p>
<datalist id="municipalities">${municipalities}</datalist>
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
</form>`,
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
  formUrl: string;
}): string {
  const title = `${fiscalYearLabel(input.fiscalYear)} ${quarterLabel(input.quarter)} 実施状況報告`;
  const kind = input.version > 1 ? `修正版（第${input.version}版）として受け付けました。` : "受け付けました。";
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

/** Known cases as form rows: what stays true of a case is kept, this quarter's activity is left to fill. */
export function knownCasesToFormValues(
  cases: ReadonlyArray<{
    caseId: string;
    businessName: string;
    municipality: string;
    field: string;
    firstFiscalYear: number;
    supportKinds: readonly string[];
  }>,
): FormValues {
  return {
    cases: cases.map((known) => ({
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
export function reportToFormValues(report: import("../form.ts").QuarterlyReport): FormValues {
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
