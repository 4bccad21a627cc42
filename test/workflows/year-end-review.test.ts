import { join } from "node:path";
import { GetObjectCommand, ListObjectsV2Command, S3Client } from "@aws-sdk/client-s3";
import { SFNClient } from "@aws-sdk/client-sfn";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { readMailbox } from "../../local/engines/ses.ts";
import { type SimulationLog, simulateYear } from "../../local/simulate.ts";
import type { LocalStack } from "../../local/stack.ts";
import { LOCAL_REGION } from "../../local/template.ts";
import { launchChromium, newJapanesePage, SCREENSHOTS } from "../helpers/browser.ts";
import { startTestStack } from "../helpers/local-stack.ts";
import { PLAN_ID } from "../helpers/rounds.ts";

// A whole fiscal year on the local stack: four rounds with generated answers, the Q4 close starting the
// YearEndReview, the draft report rendered into the bucket and its link emailed to the secretariat.

let stack: LocalStack;
let simulation: SimulationLog;
const FY = 2019;
const credentials = { accessKeyId: "S3RVER", secretAccessKey: "S3RVER" };

beforeAll(async () => {
  stack = await startTestStack();
  const sfn = new SFNClient({ endpoint: stack.urls.sfn, region: LOCAL_REGION, credentials });
  const plan = stack.plans[0];
  if (!plan) throw new Error("no plan");
  simulation = await simulateYear(
    { sfn, collectionArn: stack.collectionArn, reviewArn: stack.reviewArn, mailboxUrl: stack.urls.mailbox },
    plan,
    FY,
    // Generous: answers meant to be on time must land before the deadline even on a loaded machine.
    { roundSeconds: 6, lateSeconds: 3 },
  );
}, 180_000);
afterAll(() => stack?.stop());

describe("YearEndReview after a simulated year", () => {
  it("reviews the year once its Q4 round closes, counting late and missing answers", async () => {
    // The reference plan names approvers: the review goes on to circulate its draft, and waits for them.
    expect(simulation.reviewStatus).toBe("CIRCULATING");
    const review = await stack.table.reviews.findLatestReview(PLAN_ID, FY);
    expect(review?.version).toBe(1);
    expect(review?.status).toBe("draft");
    // 5 institutions × 4 quarters; Q3 has one missing answer, Q2 and Q3 one late answer each.
    expect(review?.figures.completeness).toMatchObject({ expected: 20, answered: 19, onTime: 17, late: 2, missing: 1 });
    // The simulation is seeded (local/simulate.ts): 8 new cases (two short of the plan's 10) and 12 continuing ones
    // (the FY2017 and FY2018 cohorts, every fourth case left out), spread over the institutions in turn.
    const fy2019 = review?.figures.supportedCases.find((year) => year.fiscalYear === FY);
    expect(fy2019?.newCases).toMatchObject({ actual: 8, target: 10 });
    expect(fy2019?.continuingCases).toMatchObject({ actual: 12, target: 10 });
    expect(fy2019?.total).toMatchObject({ actual: 20, target: 20, rate: 1 });
    expect(review?.figures.breakdowns.byInstitution.map((row) => [row.key, row.cases])).toEqual([
      ["hro", 6],
      ["nortec", 6],
      ["hsc", 4],
      ["hokuyo", 1],
      ["dogin", 3],
    ]);
    expect(
      Object.fromEntries(review?.figures.indicators.map((indicator) => [indicator.id, indicator.value]) ?? []),
    ).toMatchObject({ "commercialisation-rate": 0.5, sales: 154_600_000, "patent-applications": 8 });
    // FY2018 was not simulated, so its cohort shows as missed follow-up.
    expect(review?.figures.followUp.map((cohort) => [cohort.fiscalYear, cohort.cases, cohort.missedCases])).toEqual([
      [2018, 12, 12],
      [2019, 8, 0],
    ]);
    const missing = review?.figures.findings.filter((finding) => finding.kind === "report-missing") ?? [];
    expect(missing).toHaveLength(1);
    expect(missing[0]?.text).toMatch(/北洋銀行.*2019年度第3四半期/);
  });

  it("stores the draft's HTML, CSV and JSON under its version and emails the secretariat a working link", async () => {
    const s3 = new S3Client({ endpoint: stack.urls.s3, region: LOCAL_REGION, credentials, forcePathStyle: true });
    const listed = await s3.send(
      new ListObjectsV2Command({ Bucket: stack.bucketName, Prefix: `reports/${PLAN_ID}/${FY}/v1/` }),
    );
    const keys = (listed.Contents ?? []).map((object) => object.Key);
    expect(keys).toContain(`reports/${PLAN_ID}/${FY}/v1/index.html`);
    expect(keys).toContain(`reports/${PLAN_ID}/${FY}/v1/report.json`);
    expect(keys).toContain(`reports/${PLAN_ID}/${FY}/v1/review.json`);
    expect(keys.some((key) => key?.endsWith(".csv"))).toBe(true);

    const mail = (await readMailbox(stack.urls.mailbox)).find((candidate) =>
      candidate.subject.includes("点検評価報告書（案）第1版"),
    );
    expect(mail?.destination.to).toEqual(["secretariat@example.jp"]);
    expect(simulation.draftUrl).toMatch(/\/reports\/[A-Za-z0-9_-]{43}\/index\.html$/);
    const html = await (await fetch(simulation.draftUrl as string)).text();
    expect(html).toContain("2019年度（令和元年度）");
    expect(html).not.toContain("<script");
    const csvKey = keys.find((key) => key?.endsWith(".csv")) as string;
    const csvName = csvKey.split("/").at(-1);
    const csv = await fetch(simulation.draftUrl?.replace("index.html", `data/${csvName}`) as string);
    expect(csv.status).toBe(200);
    expect(new Uint8Array(await csv.arrayBuffer()).slice(0, 3)).toEqual(new Uint8Array([0xef, 0xbb, 0xbf]));
    const object = await s3.send(
      new GetObjectCommand({ Bucket: stack.bucketName, Key: `reports/${PLAN_ID}/${FY}/v1/report.json` }),
    );
    expect(JSON.parse((await object.Body?.transformToString("utf-8")) ?? "{}").fiscalYear).toBe(FY);
  });

  it("refuses a link that is not the emailed one, and a path outside the version", async () => {
    const url = simulation.draftUrl as string;
    const origin = new URL(url).origin;
    expect((await fetch(`${origin}/reports/${"B".repeat(43)}/index.html`)).status).toBe(404);
    expect((await fetch(url.replace("index.html", "..%2F..%2Fsecret.json"))).status).toBe(404);
  });

  it("makes a second draft, with the secretariat's findings and decisions, a new version beside the first", async () => {
    const execution = stack.startReview({
      planId: PLAN_ID,
      fiscalYear: FY,
      notes: {
        findings: ["十勝地域の食料品製造関連の案件が増えている。"],
        decisions: ["次年度はオホーツク地域での相談会を<強化>する。"],
      },
    });
    // The draft is made and mailed; the run then waits for the approvers (test/workflows/approval.test.ts).
    await expect
      .poll(
        async () => (await readMailbox(stack.urls.mailbox)).some((mail) => mail.subject.includes("第2版ができました")),
        {
          timeout: 60_000,
        },
      )
      .toBe(true);
    expect(stack.stepFunctions.listExecutions().find((e) => e.executionArn === execution.executionArn)?.status).toBe(
      "RUNNING",
    );
    expect((await stack.table.reviews.findLatestReview(PLAN_ID, FY))?.version).toBe(2);
    expect((await stack.table.reviews.findReview(PLAN_ID, FY, 1))?.version).toBe(1);
    const mail = (await readMailbox(stack.urls.mailbox)).find((candidate) => candidate.subject.includes("第2版"));
    const link = /https?:\/\/\S+\/reports\/\S+/.exec(mail?.body.text ?? "")?.[0] as string;
    const html = await (await fetch(link)).text();
    expect(html).toContain("十勝地域の食料品製造関連の案件が増えている。");
    expect(html).toContain("次年度はオホーツク地域での相談会を&lt;強化&gt;する。");
    // The first draft's link still opens the first draft, without the notes.
    expect(await (await fetch(simulation.draftUrl as string)).text()).not.toContain("十勝地域の食料品製造関連");
  });

  it("asks the secretariat before reviewing a year whose rounds are not all closed", async () => {
    const execution = stack.startReview({ planId: PLAN_ID, fiscalYear: 2020 });
    const finished = await stack.stepFunctions.waitForExecution(execution.executionArn, 30_000);
    expect(finished.status).toBe("SUCCEEDED");
    expect(finished.states).toContain("AskSecretariatAboutOpenRounds");
    expect(await stack.table.reviews.findLatestReview(PLAN_ID, 2020)).toBeUndefined();
    const mail = (await readMailbox(stack.urls.mailbox)).find((candidate) =>
      candidate.subject.includes("締め切られていない照会"),
    );
    expect(mail?.body.text).toContain("第1四半期（4月〜6月）：未実施");
    expect(mail?.body.text).toContain("--proceed-anyway");
  });

  it("opens in Chromium as a readable Japanese report with charts, and prints to A4", async () => {
    const browser = await launchChromium();
    try {
      const page = await newJapanesePage(browser, { viewport: { width: 1100, height: 1400 } });
      await page.goto(simulation.draftUrl as string);
      const title = await page.getByRole("heading", { level: 1 }).textContent();
      expect(title).toContain("2019年度（令和元年度）");
      expect(title).toContain("点検評価報告書（案）");
      expect(await page.locator("svg[role=img]").count()).toBeGreaterThanOrEqual(4);
      expect(await page.locator("table caption").count()).toBeGreaterThanOrEqual(6);
      await page.screenshot({ path: join(SCREENSHOTS, "4-draft-report.png"), fullPage: true });
      const pdf = await page.pdf({ format: "A4", path: join(SCREENSHOTS, "4-draft-report.pdf") });
      expect(pdf.subarray(0, 5).toString()).toBe("%PDF-");
    } finally {
      await browser.close();
    }
  });
});
