import { en } from "zod/locales";
import * as z from "zod/mini";

// zod's English messages for the issues describeIssue leaves to zod (the classic API sets them itself; zod/mini,
// which the schemas use so that a function bundles only the checks it runs, does not).
z.config(en());

/** One wrong field of an input, named by its path, with a message in Japanese and in English. */
export interface FieldError {
  path: string;
  ja: string;
  en: string;
}

/** The outcome of checking an input: the parsed value, or every wrong field. Nothing is stored from a failure. */
export type Checked<T> = { ok: true; value: T } | { ok: false; errors: FieldError[] };

/**
 * Labels for the paths of one input kind, keyed by the path with `*` for each row number. A label may place the
 * row numbers itself with `{1}`, `{2}` (as the form titles its rows: 「支援案件{1}の市町村」); otherwise they are
 * shown before it as "n件目の".
 */
export type FieldLabels = Record<string, FieldLabel>;

/** A field's name in both languages; `choice` for a field filled by choosing (a select), which is asked for so. */
export interface FieldLabel {
  ja: string;
  en: string;
  choice?: boolean;
  /** The row is named elsewhere (a spreadsheet's cell reference beside the message), so none is added. */
  rowless?: boolean;
}

function pathKey(path: readonly PropertyKey[]): string {
  return path.map((segment) => (typeof segment === "number" ? "*" : String(segment))).join(".");
}

function labelFor(path: readonly PropertyKey[], labels: FieldLabels): FieldLabel {
  const known = labels[pathKey(path)];
  if (known?.rowless) return known;
  const rows = path.filter((segment): segment is number => typeof segment === "number");
  const placeRows = (text: string) =>
    text.replace(/\{(\d)\}/g, (_, n: string) => String((rows[Number(n) - 1] ?? 0) + 1));
  if (known && /\{\d\}/.test(known.ja)) return { ...known, ja: placeRows(known.ja), en: placeRows(known.en) };
  const rowJa = rows.map((row) => `${row + 1}件目の`).join("");
  const rowEn = rows.map((row) => ` (row ${row + 1})`).join("");
  if (known) return { ...known, ja: `${rowJa}${known.ja}`, en: `${known.en}${rowEn}` };
  const plain = path.map(String).join(".") || "入力";
  return { ja: plain, en: plain };
}

/** What is wrong with a field, after its label; `missing` when nothing was given at all. */
interface IssueText {
  ja: string;
  en: string;
  missing?: boolean;
}

const MISSING: IssueText = { ja: "を入力してください", en: "is required", missing: true };

function describeIssue(issue: z.core.$ZodIssue): IssueText {
  switch (issue.code) {
    case "invalid_type":
      if (issue.input === undefined || issue.input === null || issue.input === "") return MISSING;
      if (issue.expected === "int" && typeof issue.input === "number")
        return { ja: "は整数で入力してください", en: "must be a whole number" };
      if (issue.expected === "int" || issue.expected === "number")
        return { ja: "は数字で入力してください", en: "must be a number" };
      return { ja: "の形式が正しくありません", en: "is not in a form that can be read" };
    case "too_small":
      if (issue.origin === "string" && issue.minimum === 1) return MISSING;
      if (issue.origin === "string")
        return { ja: `は${issue.minimum}文字以上で入力してください`, en: `needs at least ${issue.minimum} characters` };
      if (issue.origin === "array")
        return {
          ja: `は${issue.minimum}件以上必要です`,
          en: Number(issue.minimum) === 1 ? "needs at least one entry" : `needs at least ${issue.minimum} entries`,
        };
      return { ja: `は${issue.minimum}以上にしてください`, en: `must be at least ${issue.minimum}` };
    case "too_big":
      if (issue.origin === "string")
        return {
          ja: `は${issue.maximum}文字以内で入力してください`,
          en: `must be at most ${issue.maximum} characters`,
        };
      if (issue.origin === "array")
        return { ja: `は${issue.maximum}件までです`, en: `allows at most ${issue.maximum} entries` };
      return { ja: `は${issue.maximum}以下にしてください`, en: `must be at most ${issue.maximum}` };
    case "invalid_value":
      if (issue.input === undefined || issue.input === null || issue.input === "") return MISSING;
      // The allowed values are internal ids ("food"); the person chose from labels, so neither list is shown.
      return { ja: "は一覧から選んでください", en: "must be chosen from the list" };
    case "invalid_format":
      return { ja: "の形式が正しくありません", en: `must be a valid ${issue.format}` };
    case "not_multiple_of":
      return { ja: "は整数で入力してください", en: "must be a whole number" };
    case "unrecognized_keys":
      return {
        ja: `に不明な項目があります（${issue.keys.join("、")}）`,
        en: `has unknown keys: ${issue.keys.join(", ")}`,
      };
    default:
      return { ja: `：${issue.message}`, en: issue.message };
  }
}

/**
 * Turns zod's issues into one message per wrong field. A refinement may carry its own wording in `params`
 * (`{ ja, en }`), used as the whole message after the field's label.
 */
export function toFieldErrors(error: z.core.$ZodError, labels: FieldLabels): FieldError[] {
  const seen = new Set<string>();
  const errors: FieldError[] = [];
  for (const issue of error.issues) {
    const path = issue.path.map(String).join(".");
    if (seen.has(path)) continue;
    seen.add(path);
    const label = labelFor(issue.path, labels);
    const custom = issue.code === "custom" ? (issue.params as { ja?: string; en?: string } | undefined) : undefined;
    const described: IssueText = custom?.ja && custom.en ? { ja: custom.ja, en: custom.en } : describeIssue(issue);
    const text = label.choice && described.missing ? { ja: "を選んでください", en: "needs a choice" } : described;
    errors.push({ path, ja: `${label.ja}${text.ja}`, en: `${label.en} ${text.en}` });
  }
  return errors;
}

/** Parses `input` with `schema`, returning every wrong field instead of throwing. */
export function check<S extends z.core.$ZodType>(schema: S, input: unknown, labels: FieldLabels): Checked<z.output<S>> {
  const result = z.safeParse(schema, input, { reportInput: true });
  return result.success ? { ok: true, value: result.data } : { ok: false, errors: toFieldErrors(result.error, labels) };
}
