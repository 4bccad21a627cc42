import ExcelJS from "exceljs";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { readAnswerFile } from "../../domain/answer-file/read.ts";
import { MAX_UPLOAD_FILE_BYTES } from "../../domain/html/form-page.ts";
import { reviewFromTable } from "../../functions/adapters/review-source.ts";
import type { LocalStack } from "../../local/stack.ts";
import { editWorkbook, filledNewCase, sheet } from "../fixtures/answer-workbook.ts";
import { startTestStack } from "../helpers/local-stack.ts";
import { PLAN_ID, startRoundAndCollectLinks } from "../helpers/rounds.ts";

// The answer file behind a form link, through the local HTTP API, against DynamoDB Local with the real SDK clients:
// the prefilled workbook's download and a filled file's upload, stored by the same use case as the web form.

let stack: LocalStack;
let links: Map<string, string>;
const FY = 2020;
const XLSX_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet";

beforeAll(async () => {
  stack = await startTestStack();
  ({ links } = await startRoundAndCollectLinks(stack, FY, 1, 60 * 60_000));
});
afterAll(() => stack?.stop());

function linkOf(address: string): string {
  const link = links.get(address);
  if (!link) throw new Error(`no link for ${address}`);
  return link;
}

async function download(link: string): Promise<Uint8Array> {
  const response = await fetch(`${link}/file`);
  expect(response.status).toBe(200);
  expect(response.headers.get("content-type")).toBe(XLSX_TYPE);
  return new Uint8Array(await response.arrayBuffer());
}

function upload(link: string, bytes: Uint8Array, fileName: string, fields: Record<string, string> = {}) {
  const form = new FormData();
  for (const [name, value] of Object.entries(fields)) form.append(name, value);
  form.append("answerFile", new Blob([Buffer.from(bytes)], { type: XLSX_TYPE }), fileName);
  return fetch(`${link}/file`, { method: "POST", body: form });
}

async function nothingStored(institutionId: string): Promise<void> {
  expect((await stack.table.requests.findRequest(PLAN_ID, FY, 1, institutionId))?.status).toBe("sent");
  expect(await stack.table.submissions.findLatestSubmission(PLAN_ID, FY, 1, institutionId)).toBeUndefined();
}

describe("GET /forms/{token}/file", () => {
  it("serves the institution's workbook, named for its request, with the plan, era year and deadline at the top", async () => {
    const response = await fetch(`${linkOf("hro@example.jp")}/file`);
    expect(response.headers.get("content-disposition")).toContain(
      `filename*=UTF-8''${encodeURIComponent("実施状況報告_2020年度第1四半期_道総研.xlsx")}`,
    );
    expect(response.headers.get("cache-control")).toBe("no-store");
    const workbook = new ExcelJS.Workbook();
    await workbook.xlsx.load(await response.arrayBuffer());
    expect(workbook.worksheets.map((worksheet) => worksheet.name)).toEqual([
      "記入方法",
      "案件",
      "件数・概要",
      "選択肢",
      "様式情報",
    ]);
    const cases = sheet(workbook, "案件");
    expect(cases.getCell("A1").value).toBe("2020年度（令和2年度） 第1四半期（4月〜6月） 支援案件");
    expect(cases.getCell("A2").value).toBe("計画：北海道「北のものづくり」連携支援計画");
    expect(String(cases.getCell("A4").value)).toMatch(/^回答期限：令和\d+年\d+月\d+日（.）\d+時\d\d分$/);
    expect(sheet(workbook, "様式情報").getCell("B4").value).toBe("hro");
  });

  it("shows one page for an unknown link, as the form does", async () => {
    const origin = new URL(linkOf("hro@example.jp")).origin;
    const response = await fetch(`${origin}/forms/${"A".repeat(43)}/file`);
    expect(response.status).toBe(404);
    expect(await response.text()).toContain("このリンクは使用できません");
  });
});

describe("POST /forms/{token}/file", () => {
  it("stores a filled workbook once as a version, through the web form's use case, and shows the receipt", async () => {
    const link = linkOf("hsc@example.jp");
    const filled = await filledNewCase(await download(link));
    const key = "k".repeat(22);
    const first = await upload(link, filled, "回答.xlsx", { submissionKey: key });
    expect(first.status).toBe(200);
    const receipt = await first.text();
    expect(receipt).toContain("2020Q1-hsc-001");
    // The same file posted again from the same page (a double click) is the same version.
    expect(await (await upload(link, filled, "回答.xlsx", { submissionKey: key })).text()).toContain("2020Q1-hsc-001");
    const versions = await stack.table.submissions.listSubmissionVersions(PLAN_ID, FY, 1, "hsc");
    expect(versions.map((version) => [version.version, version.channel])).toEqual([[1, "spreadsheet"]]);
    expect(versions[0]?.report).toMatchObject({
      counts: { consultations: 3, seminarsAndEvents: 1, agreementsConcluded: 0 },
      cases: [{ caseId: "HKD-2020-101", firstFiscalYear: 2020, field: "food", outcomes: { salesYen: 1_500_000 } }],
    });
    const audit = (await stack.table.submissions.listAudit(PLAN_ID, FY)).filter((entry) =>
      String(entry.target).endsWith("/hsc"),
    );
    expect(audit.map((entry) => [entry.action, entry.channel])).toEqual([["submission", "spreadsheet"]]);
    // The next download starts from what was stored, as the form does.
    const plan = await stack.table.plans.getPlan(PLAN_ID);
    const institution = plan.institutions.find((candidate) => candidate.id === "hsc");
    if (!institution) throw new Error("reference plan without hsc");
    const again = await readAnswerFile(
      { fileName: "x.xlsx", bytes: await download(link) },
      { plan, institution, fiscalYear: FY, quarter: 1 },
    );
    expect(again.ok && again.answer.cases.map((reported) => reported.caseId)).toEqual(["HKD-2020-101"]);
    // The year's review counts the uploaded answer as any other: hsc's new case, food, in the year's figures.
    const { review } = await reviewFromTable(stack.table, plan, FY, new Date());
    expect(review.breakdowns.byInstitution.find((row) => row.key === "hsc")).toMatchObject({ cases: 1 });
    expect(review.breakdowns.byField.find((row) => row.key === "food")?.cases).toBeGreaterThanOrEqual(1);
  });

  it("lists a wrong file's errors on the form page by sheet and cell, and stores nothing", async () => {
    const link = linkOf("nortec@example.jp");
    const wrong = await editWorkbook(await filledNewCase(await download(link)), (workbook) => {
      sheet(workbook, "案件").getCell("G8").value = null;
      sheet(workbook, "案件").getCell("E8").value = "漁業";
    });
    const response = await upload(link, wrong, "回答.xlsx");
    expect(response.status).toBe(400);
    const html = await response.text();
    expect(html).toContain("ファイルを受け付けられませんでした（2件）");
    expect(html).toContain("案件!E8：事業分野は一覧から選んでください");
    expect(html).toContain("案件!G8：支援の種類を1つ以上選んでください");
    expect(html).toContain("Cases!G8: Kinds of support needs at least one kind ticked");
    // The page now stands at the file's address: the web form on it still posts to the form.
    const formPath = new URL(link).pathname;
    expect(html).toContain(`<form method="post" action="${formPath}" accept-charset="utf-8" novalidate>`);
    expect(html).toContain(`<form method="post" action="${formPath}/file#file-heading" enctype="multipart/form-data">`);
    await nothingStored("nortec");
  });

  it("refuses a macro workbook, and a file over the web's limit, with their messages, storing nothing", async () => {
    const link = linkOf("hokuyo@example.jp");
    const filled = await filledNewCase(await download(link));
    const macro = await upload(link, filled, "回答.xlsm");
    expect(macro.status).toBe(400);
    expect(await macro.text()).toContain("マクロを含むブック（.xlsm）は受け付けていません");
    const large = new Uint8Array(MAX_UPLOAD_FILE_BYTES + 1024);
    large.set(filled);
    const tooLarge = await upload(link, large, "回答.xlsx");
    expect(tooLarge.status).toBe(413);
    expect(await tooLarge.text()).toContain("ウェブからアップロードできるファイルは4MBまでです");
    await nothingStored("hokuyo");
  });

  it("asks for a file when none was chosen", async () => {
    const link = linkOf("dogin@example.jp");
    const form = new FormData();
    form.append("answerFile", new Blob([]), "");
    const response = await fetch(`${link}/file`, { method: "POST", body: form });
    expect(response.status).toBe(400);
    expect(await response.text()).toContain("ファイルが選ばれていません");
    await nothingStored("dogin");
  });
});
