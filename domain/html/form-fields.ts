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

/** Fields one posted form is read for; any beyond are ignored, as the form never writes that many. */
export const MAX_POSTED_FIELDS = 50_000;

/**
 * A name as `inputName` writes it: a name, then up to four `[segment]`s (a name or a row number), and `[]` last for
 * a checkbox group. Nothing else is read, so no posted name can reach an object's prototype (`__proto__`).
 */
const POSTED_NAME = /^([A-Za-z][A-Za-z0-9]*)((?:\[(?:[A-Za-z][A-Za-z0-9]*|0|[1-9][0-9]{0,3})\]){0,4})(\[\])?$/;

type Posted = Record<string, unknown>;

function isPosted(value: unknown): value is Posted {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

/**
 * Reads an urlencoded form body back into the values its names describe: `cases[6][municipality]` into
 * `{ cases: { 6: { municipality } } }` (rows stay keyed by their number; `formRows` lists them), a checkbox group's
 * `name[]` into the list of every ticked value, and a name posted twice into a list too. Names the form never writes
 * are ignored.
 */
export function readPostedForm(body: string): Posted {
  const root: Posted = {};
  let fields = 0;
  for (const [name, value] of new URLSearchParams(body)) {
    if (++fields > MAX_POSTED_FIELDS) break;
    const match = POSTED_NAME.exec(name);
    if (!match?.[1]) continue;
    const path = [match[1], ...[...(match[2] ?? "").matchAll(/\[([^\]]+)\]/g)].map((segment) => segment[1] ?? "")];
    const key = path.pop() as string;
    let node: Posted | undefined = root;
    for (const segment of path) {
      if (!Object.hasOwn(node, segment)) node[segment] = {};
      const next: unknown = node[segment];
      node = isPosted(next) ? next : undefined;
      if (!node) break;
    }
    // A name that clashes with another (`counts` posted as a value and as a group) keeps what came first.
    if (!node) continue;
    const existing = Object.hasOwn(node, key) ? node[key] : undefined;
    if (existing === undefined) node[key] = match[3] ? [value] : value;
    else if (Array.isArray(existing)) existing.push(value);
    else if (typeof existing === "string") node[key] = [existing, value];
  }
  return root;
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
