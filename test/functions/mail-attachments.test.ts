import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { readAnswerFile } from "../../domain/answer-file/read.ts";
import { readMailbox, type StoredEmail } from "../../local/engines/ses.ts";
import { invokeInProcess } from "../../local/functions.ts";
import type { LocalStack } from "../../local/stack.ts";
import { editWorkbook, sheet } from "../fixtures/answer-workbook.ts";
import { startTestStack } from "../helpers/local-stack.ts";
import { formLinks, minimalAnswer, PLAN_ID, postForm, startRoundAndCollectLinks } from "../helpers/rounds.ts";

// The request mail and its reminders carry the quarter's workbook, prefilled, as the local mailbox shows them
// (aws-ses-v2-local parses the raw message SES would send).

let stack: LocalStack;
let links: Map<string, string>;
const XLSX_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet";

beforeAll(async () => {
  stack = await startTestStack();
  // nortec reported a case in Q1, so its Q2 workbook comes with it.
  const { links: q1 } = await startRoundAndCollectLinks(stack, 2022, 1, 3_600_000, 3_600_000);
  const answered = await postForm(
    q1.get("nortec@example.jp") as string,
    minimalAnswer({
      "cases[0][caseId]": "HKD-2022-005",
      "cases[0][businessName]": "株式会社苫小牧精工",
      "cases[0][municipality]": "苫小牧市",
      "cases[0][field]": "monozukuri",
      "cases[0][firstFiscalYear]": "2022",
      "cases[0][supportKinds][]": "technical",
      "cases[0][activity]": "精密加工の試作を支援した。",
    }),
  );
  expect(answered.status).toBe(200);
  ({ links } = await startRoundAndCollectLinks(stack, 2022, 2, 3_600_000, 3_600_000));
});
afterAll(() => stack?.stop());

async function formOf(institutionId: string) {
  const plan = await stack.table.plans.getPlan(PLAN_ID);
  const institution = plan.institutions.find((candidate) => candidate.id === institutionId);
  if (!institution) throw new Error(`no ${institutionId}`);
  return { plan, institution, fiscalYear: 2022, quarter: 2 as const };
}

function workbookOf(mail: StoredEmail | undefined): Uint8Array {
  expect(mail?.attachments).toHaveLength(1);
  const [attachment] = mail?.attachments ?? [];
  expect(attachment?.contentType).toBe(XLSX_TYPE);
  return new Uint8Array(Buffer.from(attachment?.content ?? "", "base64"));
}

const toNortec = async (subject: string) =>
  (await readMailbox(stack.urls.mailbox)).filter(
    (mail) => mail.destination.to.includes("nortec@example.jp") && mail.subject.includes(subject),
  );

describe("the answer workbook in the mail", () => {
  it("goes with the request, named for it, small, prefilled with the institution's known cases", async () => {
    const [request] = await toNortec("2022年度（令和4年度） 第2四半期");
    expect(request?.attachments?.[0]?.filename).toBe("実施状況報告_2022年度第2四半期_ノーステック財団.xlsx");
    const bytes = workbookOf(request);
    expect(bytes.byteLength).toBeLessThan(40 * 1024);
    // The text and the link are still there, in UTF-8.
    expect(formLinks(request?.body.text ?? "")).toEqual([links.get("nortec@example.jp")]);
    expect(request?.body.text).toContain("実施状況をご報告ください");
    // Filled in and read back, it is this request's answer, the known case supported again under its own id.
    const filled = await editWorkbook(bytes, (workbook) => {
      const cases = sheet(workbook, "案件");
      expect([cases.getCell("A8").value, cases.getCell("B8").value]).toEqual(["○", "HKD-2022-005"]);
      cases.getCell("O8").value = "量産試作の立ち上げを支援した。";
      const summary = sheet(workbook, "件数・概要");
      for (const cell of ["B7", "B8", "B9"]) summary.getCell(cell).value = 1;
    });
    const read = await readAnswerFile({ fileName: "回答.xlsx", bytes: filled }, await formOf("nortec"));
    expect(read.ok && read.answer.cases.map((reported) => [reported.caseId, reported.activity])).toEqual([
      ["HKD-2022-005", "量産試作の立ち上げを支援した。"],
    ]);
  });

  it("goes with a reminder too", async () => {
    await invokeInProcess("remindNow", { planId: PLAN_ID, fiscalYear: 2022, quarter: 2, institutionId: "nortec" });
    const [reminder] = await toNortec("再送");
    expect(reminder).toBeDefined();
    expect(reminder?.attachments?.[0]?.filename).toBe("実施状況報告_2022年度第2四半期_ノーステック財団.xlsx");
    const read = await readAnswerFile({ fileName: "x.xlsx", bytes: workbookOf(reminder) }, await formOf("nortec"));
    // Untouched, it is refused for its empty counts, not as another request's workbook.
    expect(read.ok).toBe(false);
    if (!read.ok)
      expect(read.errors.map((error) => error.where)).toEqual(["件数・概要!B7", "件数・概要!B8", "件数・概要!B9"]);
  });
});
