import type { ApprovalStep, Approver } from "../approvals.ts";
import { type FiscalYear, fiscalYearLabel, formatJapaneseDate } from "../calendar.ts";
import type { Plan } from "../plan.ts";
import type { VersionChanges } from "../report/changes.ts";
import type { FieldError } from "../validation.ts";
import { escapeHtml, page } from "./escape.ts";
import { errorSummary, fieldId } from "./form-fields.ts";

/** What an approval page shows around its form. */
export interface ApprovalPageContext {
  plan: Plan;
  approver: Approver;
  step: ApprovalStep;
  fiscalYear: FiscalYear;
  version: number;
  deadline: Date;
  /** The draft itself, opened with the same personal link. */
  reportUrl: string;
  /** What changed since the version this approver was last asked about; absent on a first circulation. */
  changes?: VersionChanges;
}

function title(context: { plan: Plan; fiscalYear: FiscalYear; version: number }): string {
  return `${fiscalYearLabel(context.fiscalYear)} 点検評価報告書（案）第${context.version}版`;
}

function changesSection(changes: VersionChanges | undefined): string {
  if (!changes) return "";
  const figures = changes.figures.length
    ? `<table><caption>数値の変更（第${changes.fromVersion}版 → 第${changes.toVersion}版）</caption><thead><tr><th scope="col">項目</th><th scope="col">第${changes.fromVersion}版</th><th scope="col">第${changes.toVersion}版</th></tr></thead><tbody>${changes.figures
        .map(
          (change) =>
            `<tr><th scope="row">${escapeHtml(change.label)}</th><td>${escapeHtml(change.before)}</td><td>${escapeHtml(change.after)}</td></tr>`,
        )
        .join("")}</tbody></table>`
    : "<p>数値の変更はありません。</p>";
  const text = changes.text
    .map(
      (section) =>
        `<h3>${escapeHtml(section.title)}</h3><ul class="diff">${section.parts
          .flatMap((part) =>
            part.lines.map((line) =>
              part.kind === "added"
                ? `<li><ins><span class="mark">追加：</span>${escapeHtml(line)}</ins></li>`
                : part.kind === "removed"
                  ? `<li><del><span class="mark">削除：</span>${escapeHtml(line)}</del></li>`
                  : `<li>${escapeHtml(line)}</li>`,
            ),
          )
          .join("")}</ul>`,
    )
    .join("");
  return `<section aria-labelledby="changes-heading"><h2 id="changes-heading">前回ご確認の第${changes.fromVersion}版からの変更点<span class="en">What changed since version ${changes.fromVersion}</span></h2>${figures}${text || "<p>所見・見直しの方針の文章に変更はありません。</p>"}</section>`;
}

/**
 * An approver's page: what they are asked to approve, a link to the draft, what changed since they last read it,
 * and the form. Opening it decides nothing (mail scanners follow links); only the form's POST does.
 */
export function renderApprovalPage(
  context: ApprovalPageContext,
  values: { decision?: string; comment?: string } = {},
  errors: readonly FieldError[] = [],
): string {
  const error = (path: string) => errors.find((candidate) => candidate.path === path);
  const message = (path: string) => {
    const found = error(path);
    return found
      ? `<p class="field-error" id="${fieldId(path)}-error">${escapeHtml(found.ja)}<span class="en">${escapeHtml(found.en)}</span></p>`
      : "";
  };
  const invalid = (path: string) =>
    error(path) ? ` aria-invalid="true" aria-describedby="${fieldId(path)}-error"` : "";
  const radio = (value: string, label: string, en: string) =>
    `<label for="decision-${value}"><input type="radio" id="decision-${value}" name="decision" value="${value}"${values.decision === value ? " checked" : ""}> ${escapeHtml(label)}<span class="en">${escapeHtml(en)}</span></label>`;
  return page(
    `${title(context)}のご承認｜${context.approver.name}`,
    `<h1>${escapeHtml(title(context))}のご承認</h1>
<p class="meta">${escapeHtml(context.plan.name)}<br>${escapeHtml(context.step.name)}：${escapeHtml(context.approver.name)} 様<br>期限：${escapeHtml(formatJapaneseDate(context.deadline, { withTime: true }))}</p>
${errorSummary(errors)}
<p><a href="${escapeHtml(context.reportUrl)}">報告書（案）第${context.version}版を開く</a>（グラフ・表・データを含む全文。別のページで開きます）</p>
${changesSection(context.changes)}
<h2>ご判断<span class="en">Your decision</span></h2>
<form method="post" accept-charset="utf-8" novalidate>
<fieldset class="checks" id="${fieldId("decision")}"${invalid("decision")}><legend>判断（必須）<span class="en">Decision</span></legend>
${radio("approve", "承認する", "Approve")}
${radio("request-changes", "修正を求める", "Request changes")}
${message("decision")}</fieldset>
<div><label for="${fieldId("comment")}">コメント（修正を求める場合は必須）<span class="en">Comment (required to request changes)</span></label><textarea id="${fieldId("comment")}" name="comment" maxlength="2000"${invalid("comment")}>${escapeHtml(values.comment ?? "")}</textarea>${message("comment")}</div>
<p class="hint">送信した判断は取り消せません。このリンクで判断できるのは一度だけです。</p>
<p><button type="submit">判断を送信する</button></p>
</form>`,
  );
}

/** The page after a decision was recorded. */
export function renderApprovalRecordedPage(context: {
  plan: Plan;
  fiscalYear: FiscalYear;
  version: number;
  decision: "approve" | "request-changes";
  decidedAt: Date;
}): string {
  const what = context.decision === "approve" ? "承認" : "修正依頼";
  return page(
    `${what}を記録しました`,
    `<h1>${what}を記録しました</h1>
<p>${escapeHtml(title(context))}について、${what}を${escapeHtml(formatJapaneseDate(context.decidedAt, { withTime: true }))}に記録しました。${context.decision === "request-changes" ? "コメントは事務局に届けられます。修正した版ができると、改めてご依頼します。" : "ご協力ありがとうございました。"}</p>
<p class="hint">${escapeHtml(context.plan.secretariat.name)}</p>`,
  );
}

/** One page for every approval or decision link that cannot be used: unknown, expired, decided, or superseded. */
export function renderDecisionLinkUnavailablePage(): string {
  return page(
    "このリンクは使用できません",
    `<h1>このリンクは使用できません</h1>
<p>リンクの期限が切れているか、すでに判断が送信されているか、新しい版の報告書（案）が回覧されている可能性があります。</p>
<p>ご不明な点は、メールの送信元（事務局）までお問い合わせください。</p>
<p class="hint">This link cannot be used: it has expired, its decision was sent, or a newer draft is being circulated.</p>`,
  );
}

const PROCEED_FORM = `<h2>判断なしで次に進む<span class="en">Go on without them</span></h2>
<form method="post" accept-charset="utf-8"><input type="hidden" name="decision" value="proceed">
<p class="hint">上の方々の判断を待たずに、このステップを終えて次に進みます。この決定は記録されます。</p>
<p><button type="submit" class="secondary">判断なしで次に進む</button></p></form>`;

const NO_PROCEED_NOTE = `<p class="hint">このステップは、承認者の判断なしでは次に進めません（最後の承認か、まだ誰も承認していないステップです）。期限を延長して、改めてご判断をお願いしてください。</p>`;

/** The secretariat's page about a step's late approvers: extend the deadline, or go on without them. */
export function renderLateApproversPage(
  context: {
    plan: Plan;
    fiscalYear: FiscalYear;
    version: number;
    step: ApprovalStep;
    late: readonly Approver[];
    /** Whether going on without them is allowed here (mayProceedWithout); else only more time is offered. */
    mayProceed: boolean;
  },
  errors: readonly FieldError[] = [],
): string {
  const late = context.late
    .map((approver) => `<li>${escapeHtml(approver.name)}（${escapeHtml(approver.email)}）</li>`)
    .join("");
  return page(
    `期限までに判断のない承認者｜${title(context)}`,
    `<h1>期限までに判断のない承認者がいます</h1>
<p class="meta">${escapeHtml(title(context))}・${escapeHtml(context.step.name)}</p>
${errorSummary(errors)}
<ul>${late}</ul>
<h2>期限を延長する<span class="en">Extend the deadline</span></h2>
<form method="post" accept-charset="utf-8"><input type="hidden" name="decision" value="extend">
<div><label for="f-days">延長する日数<span class="en">Days</span></label><select id="f-days" name="days"><option value="3">3日</option><option value="7" selected>7日</option><option value="14">14日</option></select></div>
<p class="hint">上の方々に、新しい期限を添えて改めてご依頼します。</p>
<p><button type="submit">期限を延長する</button></p></form>
${context.mayProceed ? PROCEED_FORM : NO_PROCEED_NOTE}`,
  );
}

/** The page after the secretariat decided about late approvers. */
export function renderLateApproversDecidedPage(context: {
  plan: Plan;
  fiscalYear: FiscalYear;
  version: number;
  decision: "extend" | "proceed";
  deadline?: Date;
}): string {
  const text =
    context.decision === "extend"
      ? `期限を${escapeHtml(formatJapaneseDate(context.deadline ?? new Date(0), { withTime: true }))}まで延長し、判断のない方に改めてご依頼しました。`
      : "判断のない方を待たずに次に進みました。";
  return page(
    "決定を記録しました",
    `<h1>決定を記録しました</h1><p>${escapeHtml(title(context))}：${text}</p><p class="hint">${escapeHtml(context.plan.secretariat.name)}</p>`,
  );
}
