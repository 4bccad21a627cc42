import { inflateRawSync } from "node:zlib";

// What kind of file arrived, and whether it is safe to hand to a spreadsheet library. An XLSX is a zip; exceljs
// inflates every entry into memory (through jszip) before it looks at any, so a zip bomb must be stopped here, from
// the zip's own directory and by inflating each entry against a hard cap, before exceljs sees the bytes.

/** The largest file taken, in any channel. */
export const MAX_FILE_BYTES = 10 * 1024 * 1024;
/** What all of a workbook's entries may expand to. A filled form is well under 1 MB; 50 MB leaves room for pictures. */
export const MAX_EXPANDED_BYTES = 50 * 1024 * 1024;
/** Entries a workbook may hold; one of this form has about 15. */
export const MAX_ZIP_ENTRIES = 2000;

/** Why a file is refused before its cells are read. */
export type RefusalReason =
  | "empty"
  | "too-large"
  | "macro"
  | "encrypted"
  | "old-excel"
  | "open-document"
  | "not-a-workbook"
  | "zip-bomb"
  | "damaged";

/** What arrived: a workbook safe to load, a CSV, or a refusal. */
export type Container = { kind: "xlsx" } | { kind: "csv" } | { kind: "refused"; reason: RefusalReason };

interface ZipEntry {
  name: string;
  flags: number;
  method: number;
  compressedSize: number;
  size: number;
  localHeaderOffset: number;
}

const CFB_MAGIC = [0xd0, 0xcf, 0x11, 0xe0, 0xa1, 0xb1, 0x1a, 0xe1];
const ZIP_MAGIC = [0x50, 0x4b, 0x03, 0x04];

function startsWith(bytes: Uint8Array, magic: readonly number[]): boolean {
  return magic.every((byte, index) => bytes[index] === byte);
}

function extensionOf(fileName: string): string {
  const match = /\.([A-Za-z0-9]{1,5})$/.exec(fileName.trim());
  return match?.[1]?.toLowerCase() ?? "";
}

/** Whether UTF-16LE `text` occurs in `bytes` (a CFB file names its streams so). */
function containsUtf16(bytes: Uint8Array, text: string): boolean {
  const needle = Buffer.from(text, "utf16le");
  return Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength).indexOf(needle) >= 0;
}

/**
 * Reads the zip's central directory. Undefined when it is not a zip that can be read whole: no end record, ZIP64
 * (no workbook under 10 MB needs it, and its sizes would bypass the checks below), or entries outside the file.
 */
function readZipDirectory(bytes: Uint8Array): ZipEntry[] | undefined {
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const lowest = Math.max(0, bytes.byteLength - 22 - 0xffff);
  let end = -1;
  for (let offset = bytes.byteLength - 22; offset >= lowest; offset--)
    if (view.getUint32(offset, true) === 0x06054b50) {
      end = offset;
      break;
    }
  if (end < 0) return undefined;
  const count = view.getUint16(end + 10, true);
  const directorySize = view.getUint32(end + 12, true);
  const directoryOffset = view.getUint32(end + 16, true);
  if (count === 0xffff || directoryOffset === 0xffffffff || directoryOffset + directorySize > end) return undefined;
  const entries: ZipEntry[] = [];
  let offset = directoryOffset;
  for (let index = 0; index < count; index++) {
    if (offset + 46 > end || view.getUint32(offset, true) !== 0x02014b50) return undefined;
    const nameLength = view.getUint16(offset + 28, true);
    const extraLength = view.getUint16(offset + 30, true);
    const commentLength = view.getUint16(offset + 32, true);
    const entry: ZipEntry = {
      flags: view.getUint16(offset + 8, true),
      method: view.getUint16(offset + 10, true),
      compressedSize: view.getUint32(offset + 20, true),
      size: view.getUint32(offset + 24, true),
      localHeaderOffset: view.getUint32(offset + 42, true),
      name: Buffer.from(bytes.subarray(offset + 46, offset + 46 + nameLength)).toString("utf8"),
    };
    if (entry.size === 0xffffffff || entry.compressedSize === 0xffffffff || entry.localHeaderOffset === 0xffffffff)
      return undefined;
    entries.push(entry);
    offset += 46 + nameLength + extraLength + commentLength;
  }
  return entries;
}

/**
 * Inflates every entry as jszip will, against what the directory declares: an entry that inflates past its declared
 * size, or a total past the cap, is a bomb whatever its directory says. Node's `maxOutputLength` stops the inflation
 * itself at the cap, so a bomb never gets the memory it asks for.
 */
function inflatesWithinLimits(bytes: Uint8Array, entries: readonly ZipEntry[]): "ok" | "zip-bomb" | "damaged" {
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  let total = 0;
  for (const entry of entries) {
    const local = entry.localHeaderOffset;
    if (local + 30 > bytes.byteLength || view.getUint32(local, true) !== 0x04034b50) return "damaged";
    const start = local + 30 + view.getUint16(local + 26, true) + view.getUint16(local + 28, true);
    if (start + entry.compressedSize > bytes.byteLength) return "damaged";
    const data = bytes.subarray(start, start + entry.compressedSize);
    let size: number;
    if (entry.method === 0) size = data.byteLength;
    else if (entry.method === 8) {
      try {
        // One byte more than declared, so that an entry lying about its size is caught rather than cut short.
        size = inflateRawSync(data, {
          maxOutputLength: Math.min(entry.size, MAX_EXPANDED_BYTES - total) + 1,
        }).byteLength;
      } catch (error) {
        if (error instanceof RangeError || (error as { code?: string }).code === "ERR_BUFFER_TOO_LARGE")
          return "zip-bomb";
        return "damaged";
      }
    } else return "damaged";
    if (size > entry.size) return "zip-bomb";
    total += size;
    if (total > MAX_EXPANDED_BYTES) return "zip-bomb";
  }
  return "ok";
}

function inspectZip(bytes: Uint8Array): Container {
  const entries = readZipDirectory(bytes);
  if (!entries) return { kind: "refused", reason: "damaged" };
  if (entries.length > MAX_ZIP_ENTRIES) return { kind: "refused", reason: "zip-bomb" };
  const declared = entries.reduce((sum, entry) => sum + entry.size, 0);
  if (declared > MAX_EXPANDED_BYTES) return { kind: "refused", reason: "zip-bomb" };
  const names = new Set(entries.map((entry) => entry.name));
  if (names.has("mimetype") && !names.has("[Content_Types].xml")) return { kind: "refused", reason: "open-document" };
  if (!names.has("[Content_Types].xml") || ![...names].some((name) => /^xl\/workbook\.xml$/i.test(name)))
    return { kind: "refused", reason: "not-a-workbook" };
  // A macro project or Excel 4 macro sheets, whatever the file is called (a .xlsm renamed .xlsx still carries them).
  if ([...names].some((name) => /(^|\/)vbaProject\.bin$|^xl\/macrosheets\//i.test(name)))
    return { kind: "refused", reason: "macro" };
  if (entries.some((entry) => (entry.flags & 1) === 1)) return { kind: "refused", reason: "encrypted" };
  const inflation = inflatesWithinLimits(bytes, entries);
  if (inflation !== "ok") return { kind: "refused", reason: inflation };
  return { kind: "xlsx" };
}

/**
 * Tells what a file is from its first bytes (the name and type are only hints, and only for text): a zip is judged
 * as a workbook, a CFB container is an encrypted workbook (it carries an EncryptionInfo stream) or an old .xls,
 * and anything else named or typed as CSV or text is read as CSV.
 */
export function inspectContainer(file: { fileName: string; contentType?: string; bytes: Uint8Array }): Container {
  const { bytes } = file;
  if (bytes.byteLength === 0) return { kind: "refused", reason: "empty" };
  if (bytes.byteLength > MAX_FILE_BYTES) return { kind: "refused", reason: "too-large" };
  const extension = extensionOf(file.fileName);
  const type = (file.contentType ?? "").toLowerCase();
  if (extension === "xlsm" || extension === "xltm" || type.includes("macroenabled"))
    return { kind: "refused", reason: "macro" };
  if (startsWith(bytes, CFB_MAGIC))
    return {
      kind: "refused",
      reason:
        containsUtf16(bytes, "EncryptionInfo") || containsUtf16(bytes, "EncryptedPackage") ? "encrypted" : "old-excel",
    };
  if (startsWith(bytes, ZIP_MAGIC)) return inspectZip(bytes);
  if (["xlsx", "xls", "xlsb", "ods", "zip"].includes(extension)) return { kind: "refused", reason: "not-a-workbook" };
  if (extension === "csv" || extension === "txt" || type.startsWith("text/") || type === "application/csv")
    return { kind: "csv" };
  return { kind: "refused", reason: "not-a-workbook" };
}

/** Each refusal in Japanese and English, saying what to do instead. */
export const REFUSAL_MESSAGES: Record<RefusalReason, { ja: string; en: string }> = {
  empty: { ja: "ファイルが空です。", en: "The file is empty." },
  "too-large": {
    ja: `ファイルが大きすぎます（${MAX_FILE_BYTES / 1024 / 1024}MBまで）。画像などを除いて保存し直してください。`,
    en: `The file is too large (at most ${MAX_FILE_BYTES / 1024 / 1024} MB). Remove pictures and save it again.`,
  },
  macro: {
    ja: "マクロを含むブック（.xlsm）は受け付けていません。「Excel ブック（.xlsx）」形式で保存し直してください。",
    en: "Workbooks with macros (.xlsm) are not accepted. Save it as an Excel workbook (.xlsx).",
  },
  encrypted: {
    ja: "パスワードで保護されたファイルは読めません。パスワードを解除して保存し直してください。",
    en: "Password-protected files cannot be read. Remove the password and save it again.",
  },
  "old-excel": {
    ja: "古い Excel 形式（.xls）は読めません。「Excel ブック（.xlsx）」形式で保存し直してください。",
    en: "The old Excel format (.xls) cannot be read. Save it as an Excel workbook (.xlsx).",
  },
  "open-document": {
    ja: "OpenDocument 形式（.ods）は読めません。「Excel ブック（.xlsx）」形式かCSVで保存し直してください。",
    en: "OpenDocument spreadsheets (.ods) cannot be read. Save it as an Excel workbook (.xlsx) or CSV.",
  },
  "not-a-workbook": {
    ja: "Excel ブック（.xlsx）かCSVファイルを添付してください。",
    en: "Attach an Excel workbook (.xlsx) or a CSV file.",
  },
  "zip-bomb": {
    ja: "ファイルの展開後のサイズが大きすぎるため読めません。配布した様式に記入して保存し直してください。",
    en: "The file expands to more than can be read. Fill in the workbook we sent and save it again.",
  },
  damaged: {
    ja: "ファイルが壊れているため読めません。保存し直してから添付してください。",
    en: "The file is damaged and cannot be read. Save it again and attach it.",
  },
};
