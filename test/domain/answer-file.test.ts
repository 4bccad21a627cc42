import { deflateRawSync } from "node:zlib";
import fc from "fast-check";
import iconv from "iconv-lite";
import { describe, expect, it } from "vitest";
import { readDate, readFiscalYear, readMark } from "../../domain/answer-file/cells.ts";
import { MAX_EXPANDED_BYTES, MAX_FILE_BYTES } from "../../domain/answer-file/container.ts";
import { readAnswerFile } from "../../domain/answer-file/read.ts";
import { checkQuarterlyReport } from "../../domain/form.ts";
import {
  editWorkbook,
  expectedFilledAnswer,
  filledLikeAPerson,
  prefilledWorkbook,
  resavedElsewhere,
  sheet,
  workbookForm,
} from "../fixtures/answer-workbook.ts";
import { readZip, writeZip } from "../helpers/zip.ts";

const form = workbookForm();

function xlsx(bytes: Uint8Array, fileName = "回答.xlsx") {
  return { fileName, contentType: "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", bytes };
}

async function errorsOf(file: { fileName: string; bytes: Uint8Array; contentType?: string }) {
  const result = await readAnswerFile(file, form);
  if (result.ok) throw new Error(`expected errors, got ${JSON.stringify(result.answer)}`);
  return result.errors;
}

describe("reading a filled workbook", () => {
  it("reads what a person typed, quirks and all, as the web form's answer", async () => {
    const result = await readAnswerFile(xlsx(await filledLikeAPerson()), form);
    expect(result).toEqual({ ok: true, answer: expectedFilledAnswer() });
  });

  it("gives the answer the web form's own schema gives for the same values", async () => {
    const result = await readAnswerFile(xlsx(await filledLikeAPerson()), form);
    if (!result.ok) throw new Error(JSON.stringify(result.errors));
    const again = checkQuarterlyReport(form.plan, form.fiscalYear, result.answer);
    expect(again).toEqual({ ok: true, value: result.answer });
  });

  it("reads the workbook re-saved by another program (inline strings, no formulas)", async () => {
    const resaved = resavedElsewhere(await filledLikeAPerson());
    const names = readZip(resaved).map((entry) => entry.name);
    expect(names).not.toContain("xl/sharedStrings.xml");
    expect(await readAnswerFile(xlsx(resaved), form)).toEqual({ ok: true, answer: expectedFilledAnswer() });
  });

  it("takes the prefilled workbook sent back untouched as no answer yet: the counts are asked for", async () => {
    const errors = await errorsOf(xlsx(await prefilledWorkbook()));
    expect(errors.map((error) => error.ja)).toEqual([
      "件数・概要!B7：相談対応件数を入力してください",
      "件数・概要!B8：セミナー・イベント開催件数を入力してください",
      "件数・概要!B9：協定締結件数を入力してください",
    ]);
  });

  it("reads 報告事項なし with nothing else filled", async () => {
    const bytes = await editWorkbook(await prefilledWorkbook(), (workbook) => {
      sheet(workbook, "件数・概要").getCell("B6").value = "○";
    });
    const result = await readAnswerFile(xlsx(bytes), form);
    expect(result.ok && result.answer).toMatchObject({
      nothingToReport: true,
      cases: [],
      counts: { consultations: 0, seminarsAndEvents: 0, agreementsConcluded: 0 },
    });
  });

  it("names each wrong cell by sheet and column, Japanese first, English beside", async () => {
    const bytes = await editWorkbook(await filledLikeAPerson(), (workbook) => {
      const cases = sheet(workbook, "案件");
      cases.getCell("G12").value = null;
      cases.getCell("M12").value = null;
      cases.getCell("D12").value = "東京都";
      cases.getCell("E12").value = null;
      cases.getCell("P9").value = "たぶん";
      sheet(workbook, "件数・概要").getCell("B8").value = "三";
    });
    const errors = await errorsOf(xlsx(bytes));
    expect(errors).toEqual([
      {
        ja: "案件!P9：「たぶん」は読み取れません。○を入れるか空欄にしてください",
        en: 'Cases!P9: "たぶん" cannot be read; put ○ or leave it blank',
        where: "案件!P9",
      },
      {
        ja: "案件!D12：市町村は一覧から選んでください",
        en: "Cases!D12: Municipality must be chosen from the plan's municipalities",
        where: "案件!D12",
      },
      { ja: "案件!E12：事業分野を選んでください", en: "Cases!E12: Business field needs a choice", where: "案件!E12" },
      {
        ja: "案件!G12：支援の種類を1つ以上選んでください",
        en: "Cases!G12: Kinds of support needs at least one kind ticked",
        where: "案件!G12",
      },
      {
        ja: "件数・概要!B8：セミナー・イベント開催件数は数字で入力してください",
        en: "Counts and narrative!B8: Seminars and events must be a number",
        where: "件数・概要!B8",
      },
    ]);
  });

  it("names the row of a case repeated in the sheet, as the web form does", async () => {
    const bytes = await editWorkbook(await filledLikeAPerson(), (workbook) => {
      sheet(workbook, "案件").getCell("B12").value = "HKD-2019-001";
    });
    const errors = await errorsOf(xlsx(bytes));
    expect(errors).toEqual([
      expect.objectContaining({
        where: "案件!B12",
        ja: expect.stringMatching(/^案件!B12：案件番号が支援案件1と同じです/),
      }),
    ]);
  });

  it("refuses a workbook made for another request", async () => {
    const other = { ...form, quarter: 3 as const };
    const errors = await errorsOf(xlsx(await filledLikeAPerson(await prefilledWorkbook(other))));
    expect(errors).toHaveLength(1);
    expect(errors[0]?.ja).toMatch(/別の照会（2021年度 第3四半期・hro）/);
  });
});

describe("reading a CSV", () => {
  const rows = [
    ["相談対応件数", "１２"],
    ["セミナー・イベント開催件数", "1"],
    ["協定締結件数", "0"],
    ["今期の主な取組", "相談会を開催, 2回"],
    [],
    [
      "案件番号",
      "事業者・事業名",
      "市町村",
      "事業分野",
      "支援開始年度",
      "技術支援・助言",
      "今期の支援内容",
      "売上額（円）",
    ],
    ["HKD-2021-007", "株式会社北の新規", "旭川市", "IT（情報技術）関連", "R3", "○", "技術指導\n試作", "1,000"],
  ];
  const text = rows.map((row) => row.map((cell) => `"${cell.replaceAll('"', '""')}"`).join(",")).join("\r\n");
  const expected = {
    ok: true,
    answer: {
      nothingToReport: false,
      cases: [
        {
          caseId: "HKD-2021-007",
          businessName: "株式会社北の新規",
          municipality: "旭川市",
          field: "it",
          firstFiscalYear: 2021,
          supportKinds: ["technical"],
          activity: "技術指導\n試作",
          outcomes: { commercialised: false, salesYen: 1000, patentApplications: 0, jointResearch: false },
        },
      ],
      counts: { consultations: 12, seminarsAndEvents: 1, agreementsConcluded: 0 },
      narrative: { initiatives: "相談会を開催, 2回", issues: "", nextSteps: "" },
    },
  };

  it("reads UTF-8 with a BOM, UTF-8 without, and CP932 (Japanese Excel's CSV) alike", async () => {
    const files = {
      bom: Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), Buffer.from(text, "utf8")]),
      utf8: Buffer.from(text, "utf8"),
      cp932: iconv.encode(text, "cp932"),
    };
    expect(files.cp932.equals(files.utf8)).toBe(false);
    for (const bytes of Object.values(files))
      expect(await readAnswerFile({ fileName: "回答.csv", contentType: "text/csv", bytes }, form)).toEqual(expected);
  });

  it("names a CSV's cells by the sheet Excel would show (the file's name)", async () => {
    const wrong = text.replace('"旭川市"', '"東京都"');
    const errors = await errorsOf({ fileName: "回答.csv", bytes: Buffer.from(wrong, "utf8") });
    expect(errors.map((error) => error.where)).toEqual(["回答!C7"]);
  });
});

describe("refusing files that must not be opened", () => {
  it("refuses a macro workbook by its name, and by its contents when renamed", async () => {
    const plain = await filledLikeAPerson();
    const named = await errorsOf({ fileName: "回答.xlsm", bytes: plain });
    expect(named[0]?.ja).toMatch(/マクロを含むブック（.xlsm）は受け付けていません/);
    const withMacro = writeZip([
      ...readZip(plain).map((entry) => ({ name: entry.name, data: new Uint8Array(entry.data) })),
      { name: "xl/vbaProject.bin", data: new Uint8Array(64) },
    ]);
    const renamed = await errorsOf(xlsx(withMacro));
    expect(renamed[0]).toMatchObject({ where: "回答.xlsx", en: expect.stringMatching(/macros/) });
  });

  it("refuses a password-protected workbook (an encrypted CFB container) and tells it from an old .xls", async () => {
    const cfb = (stream: string) =>
      new Uint8Array(
        Buffer.concat([
          Buffer.from([0xd0, 0xcf, 0x11, 0xe0, 0xa1, 0xb1, 0x1a, 0xe1]),
          Buffer.alloc(504),
          Buffer.from(stream, "utf16le"),
          Buffer.alloc(512),
        ]),
      );
    expect((await errorsOf(xlsx(cfb("EncryptionInfo"))))[0]?.ja).toMatch(/パスワードで保護されたファイルは読めません/);
    expect((await errorsOf({ fileName: "回答.xls", bytes: cfb("Workbook") }))[0]?.ja).toMatch(/古い Excel 形式/);
  });

  it("refuses a file over 10 MB before looking inside", async () => {
    const errors = await errorsOf(xlsx(new Uint8Array(MAX_FILE_BYTES + 1)));
    expect(errors[0]?.ja).toMatch(/ファイルが大きすぎます（10MBまで）/);
  });

  it("refuses a zip whose directory declares more than the cap", async () => {
    const entries = readZip(await filledLikeAPerson()).map((entry) => ({
      name: entry.name,
      data: new Uint8Array(entry.data),
    }));
    const bomb = writeZip([
      ...entries,
      { name: "xl/media/big.bin", data: new Uint8Array(10), declaredSize: 2 ** 32 - 2 },
    ]);
    expect((await errorsOf(xlsx(bomb)))[0]?.en).toMatch(/expands to more than can be read/);
  });

  it("refuses a zip that lies about its sizes, stopping the inflation at the cap", async () => {
    const entries = readZip(await filledLikeAPerson()).map((entry) => ({
      name: entry.name,
      data: new Uint8Array(entry.data),
    }));
    // 60 MB of zeros deflate to about 60 KB, declared as 1 KB: only inflating tells.
    const zeros = new Uint8Array(MAX_EXPANDED_BYTES + 10 * 1024 * 1024);
    const raw = deflateRawSync(zeros);
    expect(raw.byteLength).toBeLessThan(200 * 1024);
    const bomb = writeZip([...entries, { name: "xl/media/zeros.bin", data: new Uint8Array(1024), raw }]);
    const started = performance.now();
    expect((await errorsOf(xlsx(bomb)))[0]?.en).toMatch(/expands to more than can be read/);
    expect(performance.now() - started).toBeLessThan(5_000);
  });

  it("refuses a zip whose entries are encrypted, an OpenDocument file, and bytes that are no workbook", async () => {
    const entries = readZip(await filledLikeAPerson()).map((entry) => ({
      name: entry.name,
      data: new Uint8Array(entry.data),
      encrypted: entry.name.endsWith("sheet2.xml"),
    }));
    expect((await errorsOf(xlsx(writeZip(entries))))[0]?.ja).toMatch(/パスワード/);
    const ods = writeZip([{ name: "mimetype", data: Buffer.from("application/vnd.oasis.opendocument.spreadsheet") }]);
    expect((await errorsOf({ fileName: "回答.ods", bytes: ods }))[0]?.ja).toMatch(/OpenDocument/);
    expect((await errorsOf({ fileName: "回答.pdf", bytes: Buffer.from("%PDF-1.7") }))[0]?.ja).toMatch(
      /Excel ブック（.xlsx）かCSVファイルを添付してください/,
    );
    expect((await errorsOf(xlsx(new Uint8Array(0))))[0]?.ja).toBe("ファイルが空です。");
  });

  it("calls a zip with a workbook's name but broken contents damaged", async () => {
    const entries = readZip(await filledLikeAPerson()).map((entry) => ({
      name: entry.name,
      data: entry.name === "xl/workbook.xml" ? Buffer.from("<workbook><sheets><sheet") : new Uint8Array(entry.data),
    }));
    expect((await errorsOf(xlsx(writeZip(entries))))[0]?.ja).toMatch(/ファイルが壊れているため読めません/);
  });
});

describe("reading cells as people type them", () => {
  it("reads dates typed, stored and in era form", () => {
    expect(readDate("令和6年5月1日")).toEqual({ year: 2024, month: 5, day: 1 });
    expect(readDate("R6.5.1")).toEqual({ year: 2024, month: 5, day: 1 });
    expect(readDate("平成31年4月30日")).toEqual({ year: 2019, month: 4, day: 30 });
    expect(readDate("令和元年5月1日")).toEqual({ year: 2019, month: 5, day: 1 });
    expect(readDate("２０２４／５／１")).toEqual({ year: 2024, month: 5, day: 1 });
    expect(readDate(45413)).toEqual({ year: 2024, month: 5, day: 1 });
    expect(readDate(new Date(Date.UTC(2024, 4, 1)))).toEqual({ year: 2024, month: 5, day: 1 });
    expect(readDate("2024/2/30")).toBeUndefined();
    expect(readDate(2024)).toBeUndefined();
  });

  it("reads a first fiscal year from a year, the list's label, an era year or a date", () => {
    expect(readFiscalYear("2024年度（令和6年度）")).toBe("2024");
    expect(readFiscalYear(2024)).toBe("2024");
    expect(readFiscalYear("令和元年度")).toBe("2019");
    expect(readFiscalYear("H30")).toBe("2018");
    // Dates fall in the fiscal year running April to March.
    expect(readFiscalYear("令和7年2月1日")).toBe("2024");
    expect(readFiscalYear(new Date(Date.UTC(2024, 3, 1)))).toBe("2024");
    expect(readFiscalYear("去年")).toBe("去年");
  });

  it("reads ticks, and asks about what is neither a tick nor a blank", () => {
    expect(["○", "〇", "◯", "✓", "1", "x", true].map((value) => readMark(value))).toEqual(Array(7).fill(true));
    expect(["", "×", "0", "なし", false, null].map((value) => readMark(value))).toEqual(Array(6).fill(false));
    expect(readMark("たぶん")).toBeUndefined();
  });
});

describe("random cell contents", () => {
  const cellValue = fc.oneof(
    fc.string(),
    fc.constantFrom("○", "×", "１２", "1,200", "令和6年5月1日", "2024年度（令和6年度）", "#N/A", "", " ", "=1+1"),
    fc.integer({ min: -1e6, max: 1e14 }),
    fc.double({ noNaN: false }),
    fc.boolean(),
    fc.date({ min: new Date("1900-03-01"), max: new Date("2200-01-01") }),
  );
  const edits = fc.array(
    fc.record({
      sheet: fc.constantFrom("案件", "件数・概要"),
      row: fc.integer({ min: 1, max: 14 }),
      column: fc.integer({ min: 1, max: 21 }),
      value: cellValue,
    }),
    { maxLength: 25 },
  );

  it("never throw, and never yield an answer the web form's schema would not take as it is", async () => {
    const base = await filledLikeAPerson();
    await fc.assert(
      fc.asyncProperty(edits, async (changes) => {
        const bytes = await editWorkbook(base, (workbook) => {
          for (const change of changes)
            sheet(workbook, change.sheet).getCell(change.row, change.column).value = change.value;
        });
        const result = await readAnswerFile(xlsx(bytes), form);
        if (result.ok)
          expect(checkQuarterlyReport(form.plan, form.fiscalYear, result.answer)).toEqual({
            ok: true,
            value: result.answer,
          });
        else for (const error of result.errors) expect(error.ja.length).toBeGreaterThan(0);
      }),
      { numRuns: 40 },
    );
  });

  it("never throw on random bytes named as CSV or as a workbook", async () => {
    await fc.assert(
      fc.asyncProperty(fc.uint8Array({ maxLength: 2000 }), fc.constantFrom("a.csv", "a.xlsx"), async (bytes, name) => {
        const result = await readAnswerFile({ fileName: name, bytes }, form);
        if (result.ok) expect(checkQuarterlyReport(form.plan, form.fiscalYear, result.answer).ok).toBe(true);
        else expect(result.errors.length).toBeGreaterThan(0);
      }),
      { numRuns: 200 },
    );
  });
});
