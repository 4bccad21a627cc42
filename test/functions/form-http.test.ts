import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { hashLinkToken } from "../../domain/link-token.ts";
import { HTTP_FAILURE_LOG_MESSAGE } from "../../functions/http/errors.ts";
import { HANDLED_ERROR_PATTERN } from "../../infra/constructs/operator-alarms.ts";
import type { LocalStack } from "../../local/stack.ts";
import { startTestStack } from "../helpers/local-stack.ts";
import { minimalAnswer, PLAN_ID, postForm, startRoundAndCollectLinks } from "../helpers/rounds.ts";

// The form handler through the local HTTP API, against DynamoDB Local and the local Step Functions, with the
// real SDK clients. One round stays open for the whole file (deadline far ahead); each test uses its own
// institution's link so the tests do not depend on each other's order.

let stack: LocalStack;
let links: Map<string, string>;
let q3: Map<string, string>;
let q4: Map<string, string>;
const FY = 2020;

beforeAll(async () => {
  stack = await startTestStack();
  ({ links } = await startRoundAndCollectLinks(stack, FY, 1, 60 * 60_000));
  ({ links: q3 } = await startRoundAndCollectLinks(stack, FY, 3, 60 * 60_000));
  ({ links: q4 } = await startRoundAndCollectLinks(stack, FY, 4, 60 * 60_000));
});
afterAll(() => stack?.stop());

function linkOf(address: string): string {
  const link = links.get(address);
  if (!link) throw new Error(`no link for ${address}`);
  return link;
}

const validCase = {
  "cases[0][caseId]": "HKD-2020-001",
  "cases[0][businessName]": "株式会社十勝フーズ",
  "cases[0][municipality]": "帯広市",
  "cases[0][field]": "food",
  "cases[0][firstFiscalYear]": "2020",
  "cases[0][supportKinds][]": "technical",
  "cases[0][activity]": "長いもの加工試作を支援した",
  "cases[0][outcomes][salesYen]": "1,500,000",
};

describe("GET /forms/{token}", () => {
  it("serves the institution's form in Japanese, with its name and deadline in era form", async () => {
    const response = await fetch(linkOf("hro@example.jp"));
    expect(response.status).toBe(200);
    expect(response.headers.get("referrer-policy")).toBe("no-referrer");
    const html = await response.text();
    expect(html).toContain('<html lang="ja">');
    expect(html).toContain("地方独立行政法人北海道立総合研究機構");
    expect(html).toContain("2020年度（令和2年度） 第1四半期（4月〜6月） 実施状況報告");
    expect(html).toMatch(/回答期限：令和\d+年/);
    expect(html).toContain('<label for="f-counts-consultations">相談対応件数');
  });

  it("shows one page for unknown, malformed and closed links alike", async () => {
    const origin = new URL(linkOf("hro@example.jp")).origin;
    const unknown = await fetch(`${origin}/forms/${"A".repeat(43)}`);
    const malformed = await fetch(`${origin}/forms/not-a-token`);
    expect(unknown.status).toBe(404);
    expect(malformed.status).toBe(404);
    const [unknownHtml, malformedHtml] = [await unknown.text(), await malformed.text()];
    expect(unknownHtml).toContain("このリンクは使用できません");
    expect(malformedHtml).toBe(unknownHtml);
  });
});

describe("POST /forms/{token}", () => {
  it("keeps the input, names each wrong field and stores nothing when the answer is invalid", async () => {
    const link = linkOf("nortec@example.jp");
    const response = await postForm(
      link,
      minimalAnswer({
        ...validCase,
        "cases[0][businessName]": "",
        "counts[consultations]": "たくさん",
        "cases[0][activity]": "<b>太字</b>",
      }),
    );
    expect(response.status).toBe(400);
    const html = await response.text();
    expect(html).toContain("入力内容を確認してください（2件）");
    expect(html).toContain("支援案件1の事業者・事業名を入力してください");
    expect(html).toContain("Business name (case 1) is required");
    expect(html).toContain("相談対応件数は数字で入力してください");
    expect(html).toContain('value="たくさん"');
    expect(html).toContain("&lt;b&gt;太字&lt;/b&gt;");
    expect(html).not.toContain("<b>太字</b>");
    const request = await stack.table.requests.findRequest(PLAN_ID, FY, 1, "nortec");
    expect(request?.status).toBe("sent");
    expect(request?.latestVersion).toBeUndefined();
    expect(await stack.table.submissions.findLatestSubmission(PLAN_ID, FY, 1, "nortec")).toBeUndefined();
    expect(await stack.table.submissions.listAudit(PLAN_ID, FY)).not.toContainEqual(
      expect.objectContaining({ target: expect.stringContaining("nortec") }),
    );
  });

  it("stores a valid answer in one transaction, and a correction as a new version", async () => {
    const link = linkOf("hsc@example.jp");
    const first = await postForm(link, minimalAnswer(validCase));
    expect(first.status).toBe(200);
    expect(await first.text()).toContain("2020Q1-hsc-001");
    // Nothing waits for the answer: the round reads it from the table when it wakes.
    expect(stack.stepFunctions.pendingTaskCount()).toBe(0);
    const answered = await stack.table.requests.findRequest(PLAN_ID, FY, 1, "hsc");
    expect(answered).toMatchObject({ status: "answered", latestVersion: 1, answeredOnTime: true });

    const correction = await postForm(link, minimalAnswer({ ...validCase, "counts[consultations]": "9" }));
    expect(correction.status).toBe(200);
    const receipt = await correction.text();
    expect(receipt).toContain("修正版（第2版）");
    expect(receipt).toContain("2020Q1-hsc-002");
    const corrected = await stack.table.requests.findRequest(PLAN_ID, FY, 1, "hsc");
    expect(corrected).toMatchObject({ status: "answered", latestVersion: 2, answeredAt: answered?.answeredAt });

    const versions = await stack.table.submissions.listSubmissionVersions(PLAN_ID, FY, 1, "hsc");
    expect(versions.map((version) => [version.version, version.report.counts.consultations])).toEqual([
      [1, 3],
      [2, 9],
    ]);
    expect(versions[0]?.report.cases[0]?.outcomes.salesYen).toBe(1_500_000);
    const audit = (await stack.table.submissions.listAudit(PLAN_ID, FY)).filter((entry) =>
      String(entry.target).endsWith("/hsc"),
    );
    expect(audit.map((entry) => [entry.action, entry.version, entry.channel, entry.actor])).toEqual([
      ["submission", 1, "web-form", "institution:hsc"],
      ["correction", 2, "web-form", "institution:hsc"],
    ]);

    // The form now opens with the last answer.
    const form = await (await fetch(link)).text();
    expect(form).toContain('value="9"');
    expect(form).toContain("この照会には回答済みです（2回送信）");
  });

  it("lets two simultaneous first answers land as version 1 and 2", async () => {
    const link = linkOf("hokuyo@example.jp");
    const responses = await Promise.all([
      postForm(link, minimalAnswer()),
      postForm(link, minimalAnswer({ "counts[consultations]": "5" })),
    ]);
    expect(responses.map((response) => response.status)).toEqual([200, 200]);
    const audit = (await stack.table.submissions.listAudit(PLAN_ID, FY)).filter((entry) =>
      String(entry.target).endsWith("/hokuyo"),
    );
    expect(audit.map((entry) => entry.action).sort()).toEqual(["correction", "submission"]);
    expect((await stack.table.requests.findRequest(PLAN_ID, FY, 1, "hokuyo"))?.latestVersion).toBe(2);
  });

  it("refuses a body over 256 KB and stores nothing", async () => {
    const link = linkOf("dogin@example.jp");
    const response = await postForm(link, minimalAnswer({ "narrative[initiatives]": "あ".repeat(100_000) }));
    expect(response.status).toBe(413);
    expect(await response.text()).toContain("送信内容が大きすぎます");
    expect((await stack.table.requests.findRequest(PLAN_ID, FY, 1, "dogin"))?.status).toBe("sent");
  });

  it("stores the same answer sent twice (a double click) once", async () => {
    const link = linkOf("dogin@example.jp");
    const [first, second] = [await postForm(link, minimalAnswer()), await postForm(link, minimalAnswer())];
    expect([first.status, second.status]).toEqual([200, 200]);
    expect(await second.text()).toContain("2020Q1-dogin-001");
    expect(
      (await stack.table.submissions.listSubmissionVersions(PLAN_ID, FY, 1, "dogin")).map((version) => version.version),
    ).toEqual([1]);
  });

  it("stores one version when the same form is posted twice at the same instant, twenty times over", async () => {
    const link = q3.get("hokuyo@example.jp") as string;
    const receipts: string[][] = [];
    for (let pair = 0; pair < 20; pair++) {
      // Each pair posts one freshly opened form (its own key) twice at once, as a double click on a slow line would.
      const key = submissionKeyOf(await (await fetch(link)).text());
      const body = minimalAnswer({ "counts[consultations]": String(pair), submissionKey: key });
      const responses = await Promise.all([postForm(link, body), postForm(link, body)]);
      receipts.push(await Promise.all(responses.map(async (response) => receiptOf(await response.text()))));
    }
    const versions = await stack.table.submissions.listSubmissionVersions(PLAN_ID, FY, 3, "hokuyo");
    expect(versions.map((version) => version.report.counts.consultations)).toEqual(
      Array.from({ length: 20 }, (_, pair) => pair),
    );
    receipts.forEach(([first, second], pair) => {
      expect(first).toBe(`2020Q3-hokuyo-${String(pair + 1).padStart(3, "0")}`);
      expect(second).toBe(first);
    });
  });

  it("does not let a delayed duplicate of an earlier post undo a later correction", async () => {
    const link = q3.get("nortec@example.jp") as string;
    const formA = submissionKeyOf(await (await fetch(link)).text());
    const formB = submissionKeyOf(await (await fetch(link)).text());
    const a = minimalAnswer({ "counts[consultations]": "1", submissionKey: formA });
    const first = receiptOf(await (await postForm(link, a)).text());
    const correction = receiptOf(
      await (await postForm(link, minimalAnswer({ "counts[consultations]": "2", submissionKey: formB }))).text(),
    );
    // The first post arrives again (a retried request on a slow line): it is still the first version.
    const again = receiptOf(await (await postForm(link, a)).text());
    expect([first, correction, again]).toEqual(["2020Q3-nortec-001", "2020Q3-nortec-002", "2020Q3-nortec-001"]);
    const versions = await stack.table.submissions.listSubmissionVersions(PLAN_ID, FY, 3, "nortec");
    expect(versions.map((version) => version.report.counts.consultations)).toEqual([1, 2]);
    expect((await stack.table.submissions.findLatestSubmission(PLAN_ID, FY, 3, "nortec"))?.version).toBe(2);

    // The first form, back from the browser's history and changed before sending: kept as a new version.
    const changed = await postForm(link, minimalAnswer({ "counts[consultations]": "3", submissionKey: formA }));
    expect(receiptOf(await changed.text())).toBe("2020Q3-nortec-003");
    const after = await stack.table.submissions.listSubmissionVersions(PLAN_ID, FY, 3, "nortec");
    expect(after.map((version) => version.report.counts.consultations)).toEqual([1, 2, 3]);
  });

  it("keeps both of two different answers posted at once, numbered in the order they were stored", async () => {
    const link = q4.get("hokuyo@example.jp") as string;
    const [a, b] = [await (await fetch(link)).text(), await (await fetch(link)).text()].map(submissionKeyOf);
    await Promise.all([
      postForm(link, minimalAnswer({ "counts[consultations]": "1", submissionKey: a as string })),
      postForm(link, minimalAnswer({ "counts[consultations]": "2", submissionKey: b as string })),
    ]);
    const versions = await stack.table.submissions.listSubmissionVersions(PLAN_ID, FY, 4, "hokuyo");
    expect(versions.map((version) => version.report.counts.consultations).sort()).toEqual([1, 2]);
    expect(Date.parse(versions[0]?.submittedAt ?? "")).toBeLessThanOrEqual(Date.parse(versions[1]?.submittedAt ?? ""));
  });

  it("stores 報告事項なし as such: no cases, zero counts, and says so on the receipt", async () => {
    const link = q4.get("nortec@example.jp") as string;
    const page = await (await fetch(link)).text();
    expect(page).toContain("報告事項なしとして送信する");
    const keys = [...page.matchAll(/name="submissionKey" value="([^"]+)"/g)].map((match) => match[1]);
    // One key per form on the page: 報告事項なし, the answer, and the answer file's upload.
    expect(new Set(keys).size).toBe(3);
    const response = await postForm(link, new URLSearchParams({ nothingToReport: "1", submissionKey: keys[0] ?? "" }));
    expect(response.status).toBe(200);
    expect(await response.text()).toContain("「報告事項なし」として受け付けました");
    const stored = await stack.table.submissions.findLatestSubmission(PLAN_ID, FY, 4, "nortec");
    expect(stored?.report).toMatchObject({
      nothingToReport: true,
      cases: [],
      counts: { consultations: 0, seminarsAndEvents: 0, agreementsConcluded: 0 },
    });
    expect(await stack.table.requests.findRequest(PLAN_ID, FY, 4, "nortec")).toMatchObject({
      status: "answered",
      nothingToReport: true,
    });
  });

  it("prefills the next round's form with the cases the institution reported before", async () => {
    const { links: nextLinks } = await startRoundAndCollectLinks(stack, FY, 2, 60 * 60_000);
    const html = await (await fetch(nextLinks.get("hsc@example.jp") as string)).text();
    expect(html).toContain('value="HKD-2020-001"');
    expect(html).toContain('value="株式会社十勝フーズ"');
    // The activity is this quarter's to write.
    expect(html).not.toContain("長いもの加工試作を支援した");
    // Posting the prefilled form untouched, apart from the counts, leaves the case out: not supported this quarter.
    const prefilled = new URLSearchParams(
      [...html.matchAll(/name="(cases\[0\]\[[^"]+\])" value="([^"]*)"/g)].map((match): [string, string] => [
        match[1] ?? "",
        match[2] ?? "",
      ]),
    );
    expect(prefilled.get("cases[0][known]")).toBe("1");
    for (const [name, value] of minimalAnswer()) prefilled.set(name, value);
    const answer = await postForm(nextLinks.get("hsc@example.jp") as string, prefilled);
    expect(answer.status).toBe(200);
    expect((await stack.table.submissions.findLatestSubmission(PLAN_ID, FY, 2, "hsc"))?.report.cases).toEqual([]);
  });
});

describe("failures on our side", () => {
  it("answer with a plain 500 page and log an ERROR line, which the alarm's metric filter counts", async () => {
    // A link whose institution has left the plan: a state only a bug or a hand edit can make.
    const token = "Z".repeat(43);
    await stack.table.requests.ensureRequest({
      planId: PLAN_ID,
      fiscalYear: FY,
      quarter: 1,
      institutionId: "ghost",
      status: "sent",
      deadline: new Date(Date.now() + 3_600_000).toISOString(),
    });
    expect(
      await stack.table.requests.bindLink(
        { planId: PLAN_ID, fiscalYear: FY, quarter: 1, institutionId: "ghost" },
        hashLinkToken(token),
      ),
    ).toBe(true);
    // The structured logger writes its ERROR lines to standard error, as Lambda forwards them to CloudWatch.
    const written: string[] = [];
    const write = process.stderr.write.bind(process.stderr);
    process.stderr.write = ((chunk: string | Uint8Array, ...rest: unknown[]) => {
      written.push(String(chunk));
      return (write as (...args: unknown[]) => boolean)(chunk, ...rest);
    }) as typeof process.stderr.write;
    let response: Response;
    try {
      response = await fetch(`${new URL(linkOf("hro@example.jp")).origin}/forms/${token}`);
    } finally {
      process.stderr.write = write;
    }
    expect(response.status).toBe(500);
    const page = await response.text();
    expect(page).toContain("エラーが発生しました");
    expect(page).not.toContain("ghost");
    const errorLines = written
      .flatMap((chunk) => chunk.split("\n"))
      .filter((line) => line.startsWith("{"))
      .map((line) => JSON.parse(line) as { level?: string; message?: string })
      .filter((line) => line.level === "ERROR");
    expect(errorLines.map((line) => line.message)).toContain(HTTP_FAILURE_LOG_MESSAGE);
    // The metric filter of infra/constructs/operator-alarms.ts counts exactly such lines.
    expect(HANDLED_ERROR_PATTERN.logPatternString).toBe('{ $.level = "ERROR" }');
  });
});

describe("prefilled forms", () => {
  it("keeps every prefilled row through an input error, and names the error by the row the person saw", async () => {
    // hsc reported HKD-2020-001 in Q1; its Q3 form opens with that case as 支援案件 1.
    const link = q3.get("hsc@example.jp") as string;
    const form = await (await fetch(link)).text();
    expect(form).toContain("支援案件 1：株式会社十勝フーズ");
    const rows = new URLSearchParams(
      [...form.matchAll(/name="(cases\[\d+\]\[[^"]+\])" value="([^"]*)"/g)].map((match): [string, string] => [
        match[1] ?? "",
        match[2] ?? "",
      ]),
    );
    rows.set("submissionKey", submissionKeyOf(form));
    // A new case in the first spare row (支援案件 2), its municipality forgotten.
    for (const [name, value] of Object.entries({ ...validCase, "cases[0][municipality]": "" }))
      rows.set(name.replace("cases[0]", "cases[1]"), value);
    rows.set("cases[1][caseId]", "HKD-2020-009");
    for (const [name, value] of minimalAnswer()) rows.set(name, value);
    const refused = await postForm(link, rows);
    expect(refused.status).toBe(400);
    const page = await refused.text();
    expect(page).toContain("支援案件2の市町村を選んでください");
    expect(page).toContain("支援案件 1：株式会社十勝フーズ");
    expect(page).toContain('name="cases[0][known]" value="1"');
    expect(page).toContain('value="HKD-2020-009"');
    // The same form's key comes back, so the corrected post is still this form.
    expect(submissionKeyOf(page)).toBe(rows.get("submissionKey"));
    rows.set("cases[1][municipality]", "帯広市");
    // Case 1 supported again this quarter: its activity, and what the page's selects and boxes post for it.
    for (const [name, value] of Object.entries({
      activity: "継続して販路開拓を支援した",
      municipality: "帯広市",
      field: "food",
      firstFiscalYear: "2020",
      "supportKinds][": "market",
    }))
      rows.set(`cases[0][${name}]`, value);
    expect((await postForm(link, rows)).status).toBe(200);
    const stored = await stack.table.submissions.findLatestSubmission(PLAN_ID, FY, 3, "hsc");
    expect(stored?.report.cases.map((reported) => reported.caseId)).toEqual(["HKD-2020-001", "HKD-2020-009"]);
  });

  it("offers a round run late only the cases that had begun by its fiscal year", async () => {
    // hsc's known case began in FY2020; a FY2019 round started afterwards must not offer it.
    const { links: earlier } = await startRoundAndCollectLinks(stack, 2019, 4, 60 * 60_000);
    const form = await (await fetch(earlier.get("hsc@example.jp") as string)).text();
    expect(form).not.toContain("HKD-2020-001");
    expect(form).toContain("支援案件 1（新規の案件があれば記入）");
  });

  it("offers the plan's municipalities by region, and a hint of what a case id looks like", async () => {
    const form = await (await fetch(linkOf("hro@example.jp"))).text();
    expect(form).toMatch(
      /<select id="f-cases-0-municipality"[^>]*>.*<optgroup label="十勝">.*<option value="帯広市">/s,
    );
    expect(form).toContain("例：HKD-2024-001（半角英数字とハイフン）");
  });
});

function submissionKeyOf(html: string): string {
  // The answer form's key is the second on the page (the first belongs to the 報告事項なし form above it).
  const keys = [...html.matchAll(/name="submissionKey" value="([^"]+)"/g)].map((match) => match[1] ?? "");
  return keys[1] ?? "";
}

function receiptOf(html: string): string {
  return /data-testid="receipt-number">([^<]+)</.exec(html)?.[1] ?? "";
}
