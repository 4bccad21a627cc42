import type { FieldError } from "../validation.ts";
import { escapeHtml } from "./escape.ts";

/** Raw form values as typed (strings, checkbox lists), used to fill the form and to keep input after an error. */
export interface FormValues {
  cases: Array<Record<string, unknown>>;
  counts?: Record<string, unknown>;
  narrative?: Record<string, unknown>;
}

/** One option of a select or a checkbox group. */
export interface Choice {
  value: string;
  label: string;
}

/** The element id of a field, from its path ("cases.6.municipality" → "f-cases-6-municipality"); errors link to it. */
export function fieldId(path: string): string {
  return `f-${path.replaceAll(".", "-")}`;
}

/** The posted name of a field, in the bracket form the form parser reads back ("cases[6][municipality]"). */
export function inputName(path: string): string {
  const [first, ...rest] = path.split(".");
  return `${first}${rest.map((segment) => `[${segment}]`).join("")}`;
}

function valueAt(values: FormValues, path: string): unknown {
  let current: unknown = values;
  for (const segment of path.split(".")) {
    if (current === null || typeof current !== "object") return undefined;
    current = (current as Record<string, unknown>)[segment];
  }
  return current;
}

function options(choices: readonly Choice[], current: string): string {
  return choices
    .map(
      (choice) =>
        `<option value="${escapeHtml(choice.value)}"${choice.value === current ? " selected" : ""}>${escapeHtml(choice.label)}</option>`,
    )
    .join("");
}

/**
 * Writes labelled fields filled with the values as typed, each wrong one marked for screen readers and followed by
 * its message in Japanese with English beside it.
 */
export class FormWriter {
  private readonly errorsByPath: Map<string, FieldError>;
  constructor(
    private readonly values: FormValues,
    errors: readonly FieldError[],
  ) {
    this.errorsByPath = new Map(errors.map((error) => [error.path, error]));
  }

  private errorAttributes(path: string, hintId?: string): { attributes: string; message: string } {
    const error = this.errorsByPath.get(path);
    const described = hintId ? ` aria-describedby="${hintId}"` : "";
    if (!error) return { attributes: described, message: "" };
    const messageId = `${fieldId(path)}-error`;
    return {
      attributes: ` aria-invalid="true" aria-describedby="${messageId}${hintId ? ` ${hintId}` : ""}"`,
      message: `<p class="field-error" id="${messageId}">${escapeHtml(error.ja)}<span class="en">${escapeHtml(error.en)}</span></p>`,
    };
  }

  private label(path: string, ja: string, en: string, required: boolean): string {
    const mark = required ? "（必須）" : "";
    return `<label for="${fieldId(path)}">${escapeHtml(ja)}${mark}<span class="en">${escapeHtml(en)}</span></label>`;
  }

  private current(path: string): string {
    return String(valueAt(this.values, path) ?? "");
  }

  text(path: string, ja: string, en: string, options: { required?: boolean; maxLength?: number; hint?: string } = {}) {
    const hintId = options.hint ? `${fieldId(path)}-hint` : undefined;
    const { attributes, message } = this.errorAttributes(path, hintId);
    const max = options.maxLength ? ` maxlength="${options.maxLength}"` : "";
    const hint = options.hint ? `<p class="hint" id="${hintId}">${escapeHtml(options.hint)}</p>` : "";
    return `<div>${this.label(path, ja, en, options.required ?? false)}<input type="text" id="${fieldId(path)}" name="${inputName(path)}" value="${escapeHtml(this.current(path))}"${max}${attributes}>${hint}${message}</div>`;
  }

  number(path: string, ja: string, en: string, options: { required?: boolean } = {}) {
    const { attributes, message } = this.errorAttributes(path);
    return `<div>${this.label(path, ja, en, options.required ?? false)}<input type="text" inputmode="numeric" id="${fieldId(path)}" name="${inputName(path)}" value="${escapeHtml(this.current(path))}"${attributes}>${message}</div>`;
  }

  textarea(path: string, ja: string, en: string, options: { required?: boolean; maxLength: number }) {
    const { attributes, message } = this.errorAttributes(path);
    return `<div>${this.label(path, ja, en, options.required ?? false)}<textarea id="${fieldId(path)}" name="${inputName(path)}" maxlength="${options.maxLength}"${attributes}>${escapeHtml(this.current(path))}</textarea>${message}</div>`;
  }

  /** A required choice; `groups` puts the choices under headings (municipalities by region). */
  select(path: string, ja: string, en: string, choices: readonly Choice[] | ReadonlyArray<[string, Choice[]]>) {
    const { attributes, message } = this.errorAttributes(path);
    const current = this.current(path);
    const grouped = choices.length > 0 && Array.isArray(choices[0]);
    const body = grouped
      ? (choices as ReadonlyArray<[string, Choice[]]>)
          .map(([group, items]) => `<optgroup label="${escapeHtml(group)}">${options(items, current)}</optgroup>`)
          .join("")
      : options(choices as readonly Choice[], current);
    return `<div>${this.label(path, ja, en, true)}<select id="${fieldId(path)}" name="${inputName(path)}"${attributes}><option value="">選択してください</option>${body}</select>${message}</div>`;
  }

  checkboxes(path: string, ja: string, en: string, choices: readonly Choice[]) {
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

/** The list of wrong fields at the top of the page, each linking to its field. */
export function errorSummary(errors: readonly FieldError[]): string {
  if (errors.length === 0) return "";
  const items = errors
    .map(
      (error) =>
        `<li><a href="#${fieldId(error.path)}">${escapeHtml(error.ja)}</a><span class="en">${escapeHtml(error.en)}</span></li>`,
    )
    .join("");
  return `<div class="error-summary" role="alert" tabindex="-1" id="error-summary"><h2>入力内容を確認してください（${errors.length}件）<span class="en">Please correct ${errors.length} field(s)</span></h2><p>まだ保存されていません。Nothing has been saved yet.</p><ul>${items}</ul></div>`;
}
