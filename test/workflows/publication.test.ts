import { mkdirSync } from "node:fs";
import { join } from "node:path";
import { GetObjectCommand, ListBucketsCommand, ListObjectsV2Command, S3Client } from "@aws-sdk/client-s3";
import type { Browser } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { formatJapaneseDate } from "../../domain/calendar.ts";
import { reviewExecutionName } from "../../domain/keys.ts";
import type { Plan } from "../../domain/plan.ts";
import { readMailbox } from "../../local/engines/ses.ts";
import { simulateYear } from "../../local/simulate.ts";
import type { LocalStack } from "../../local/stack.ts";
import { LOCAL_REGION } from "../../local/template.ts";
import { referencePlanWithPeople } from "../fixtures/plans.ts";
import { approvalLinkOf, decide, FINAL_APPROVER, HEADS } from "../helpers/approvals.ts";
import { launchChromium, newJapanesePage, SCREENSHOTS, wcagViolations } from "../helpers/browser.ts";
import { sfnClientOf, startTestStack } from "../helpers/local-stack.ts";
import { readPdf, screenshotPdf } from "../helpers/pdf.ts";
import { PLAN_ID } from "../helpers/rounds.ts";

// The whole cycle to the public report on the local stack: a simulated year whose Q4 close drafts v1, a request for
// changes on v1, v2 approved by every head and the secretariat's head, then PublishReport and NotifyPublished. The
// site is read back from the site bucket with the S3 client, as the CDN would read it.

const FY = 2019;
const SITE_ROOT = "site/";
const credentials = { accessKeyId: "S3RVER", secretAccessKey: "S3RVER" };
let stack: LocalStack;
let plan: Plan;
let s3: S3Client;
let siteBucket: string;
/** Every object of the site, by its path from the site's root. */
const site = new Map<string, { contentType: string; body: Buffer }>();
let browser: Browser;

beforeAll(async () => {
  plan = referencePlanWithPeople();
  stack = await startTestStack([plan]);
  s3 = new S3Client({ endpoint: stack.urls.s3, region: LOCAL_REGION, credentials, forcePathStyle: true });
  const sfn = sfnClientOf(stack);
  const target = {
    sfn,
    collectionArn: stack.collectionArn,
    reviewArn: stack.reviewArn,
    mailboxUrl: stack.urls.mailbox,
  };
  // Generous: answers meant to be on time must land before the deadline even on a loaded machine.
  await simulateYear(target, plan, FY, { roundSeconds: 6, lateSeconds: 3 });
  sfn.destroy();
  // The local stack makes every bucket the template declares, under its own prefix; the site's is the one named
  // after the data stack's SiteBucket (local/template.ts physicalName).
  const prefix = stack.tableName.slice(0, stack.tableName.indexOf("PdcaData-")).toLowerCase();
  const { Buckets = [] } = await s3.send(new ListBucketsCommand({}));
  siteBucket =
    Buckets.map((bucket) => bucket.Name ?? "").find((name) => name.startsWith(`${prefix}pdcadata-sitebucket`)) ?? "";
  browser = await launchChromium();
}, 240_000);
afterAll(async () => {
  await browser?.close();
  s3?.destroy();
  await stack?.stop();
});

async function readSite(): Promise<void> {
  site.clear();
  const listed = await s3.send(new ListObjectsV2Command({ Bucket: siteBucket, Prefix: SITE_ROOT }));
  for (const object of listed.Contents ?? []) {
    const got = await s3.send(new GetObjectCommand({ Bucket: siteBucket, Key: object.Key }));
    site.set((object.Key ?? "").slice(SITE_ROOT.length), {
      contentType: got.ContentType ?? "",
      body: Buffer.from((await got.Body?.transformToByteArray()) ?? []),
    });
  }
}

const text = (path: string) => site.get(path)?.body.toString("utf8") ?? "";

describe("the year-end cycle to publication", () => {
  it("publishes v2 once every head and the secretariat's head approve it, after changes were asked on v1", async () => {
    // v1, drafted by the Q4 close, is circulating: one head asks for changes.
    const v1 = await approvalLinkOf(stack, HEADS[2] as string, 1, FY);
    expect(
      (await decide(v1, { decision: "request-changes", comment: "十勝地域の記述を補ってください。" })).status,
    ).toBe(200);
    const firstRun = `${stack.reviewArn.replace(":stateMachine:", ":execution:")}:${reviewExecutionName(PLAN_ID, FY)}`;
    expect((await stack.stepFunctions.waitForExecution(firstRun, 30_000)).states).toContain("ChangesRequested");

    const execution = stack.startReview({
      planId: PLAN_ID,
      fiscalYear: FY,
      proceedAnyway: true,
      stepSeconds: 600,
      notes: { findings: ["十勝地域の食料品製造関連の案件が増えている。"], decisions: ["次年度は相談会を増やす。"] },
    });
    for (const address of HEADS)
      expect((await decide(await approvalLinkOf(stack, address, 2, FY), { decision: "approve" })).status).toBe(200);
    expect((await decide(await approvalLinkOf(stack, FINAL_APPROVER, 2, FY), { decision: "approve" })).status).toBe(
      200,
    );
    const finished = await stack.stepFunctions.waitForExecution(execution.executionArn, 90_000);
    expect(finished.status).toBe("SUCCEEDED");
    expect(finished.states).toEqual(expect.arrayContaining(["PublishReport", "NotifyPublished", "Published"]));

    const v2 = await stack.table.reviews.findReview(PLAN_ID, FY, 2);
    expect(v2?.publishedAt).toBeDefined();
    expect((await stack.table.reviews.findReview(PLAN_ID, FY, 1))?.publishedAt).toBeUndefined();
    expect(await stack.table.reviews.listPublishedVersions(PLAN_ID, FY)).toMatchObject([{ version: 2 }]);
  });

  it("emails everyone on the plan the year's address, each person a mail of their own", async () => {
    const mails = (await readMailbox(stack.urls.mailbox)).filter((candidate) =>
      candidate.subject.includes("点検評価報告書を公表しました"),
    );
    const everyone = [
      ...plan.secretariat.contacts.map((contact) => contact.email),
      ...plan.institutions.flatMap((institution) => institution.contacts.map((contact) => contact.email)),
      ...HEADS,
      FINAL_APPROVER,
    ];
    expect(mails.map((mail) => mail.destination.to).sort()).toEqual([...new Set(everyone)].sort().map((to) => [to]));
    for (const mail of mails) {
      expect(mail.body.text).toContain(`${stack.urls.site}/${PLAN_ID}/${FY}/index.html`);
      expect(mail.body.text).toContain("第2版");
    }
  });

  it("writes the index, the year's page and v2's page, PDF, CSV and JSON into the site bucket, and nothing of v1", async () => {
    await readSite();
    const paths = [...site.keys()];
    const folder = `${PLAN_ID}/${FY}/v2/`;
    expect(paths).toEqual(
      expect.arrayContaining([
        "index.html",
        `${PLAN_ID}/${FY}/index.html`,
        `${folder}index.html`,
        `${folder}report.pdf`,
        `${folder}report.json`,
        `${folder}data/supported-cases.csv`,
      ]),
    );
    expect(paths.filter((path) => path.includes("/v1/"))).toEqual([]);
    expect(paths.filter((path) => path.endsWith(".csv"))).toHaveLength(12);
    expect(site.get(`${folder}report.pdf`)?.contentType).toBe("application/pdf");
    expect(site.get(`${folder}data/summary.csv`)?.body.subarray(0, 3)).toEqual(Buffer.from([0xef, 0xbb, 0xbf]));
    expect(JSON.parse(text(`${folder}report.json`))).toMatchObject({ version: 2, status: "approved", fiscalYear: FY });
    // Every link of every page leads to a file of the site (or within its page).
    for (const page of paths.filter((path) => path.endsWith(".html")))
      for (const [, href] of text(page).matchAll(/href="([^"#][^"]*)"/g)) {
        const target = new URL(href ?? "", `http://site.test/${page}`).pathname.slice(1);
        expect(site.has(target), `${page} → ${href}`).toBe(true);
      }
  });

  it("says on the year's page which version it shows and when that was approved", async () => {
    const approvedAt = (await stack.table.reviews.findReview(PLAN_ID, FY, 2))?.approvedAt as string;
    const year = text(`${PLAN_ID}/${FY}/index.html`);
    const date = formatJapaneseDate(new Date(approvedAt));
    expect(year).toContain(`掲載している版は第2版（${date}承認）です。`);
    expect(year).toContain(`<dt>承認日</dt><dd>${date}</dd>`);
    expect(year).toContain('href="v2/report.pdf"');
    expect(text("index.html")).toContain(`<td>第2版</td><td>${date}</td>`);
  });

  it("prints the report to an A4 PDF whose text holds its title and the year's target", async () => {
    const bytes = site.get(`${PLAN_ID}/${FY}/v2/report.pdf`)?.body as Buffer;
    const pdf = await readPdf(new Uint8Array(bytes));
    const target = (await stack.table.reviews.findReview(PLAN_ID, FY, 2))?.figures.supportedCases.find(
      (year) => year.fiscalYear === FY,
    )?.total.target;
    expect(target).toBeGreaterThan(0);
    expect(pdf.pages).toBeGreaterThanOrEqual(4);
    expect(pdf.pages).toBeLessThanOrEqual(12);
    expect(pdf.text[0]).toContain(`${plan.name} ${FY}年度（令和元年度）点検評価報告書`);
    expect(pdf.text[0]).toContain(`目標${target}件`);
    // Page numbers from the report's own @page rule.
    expect(pdf.text[0]).toContain(`1 / ${pdf.pages}`);
    mkdirSync(SCREENSHOTS, { recursive: true });
    await screenshotPdf(browser, new Uint8Array(bytes), (page) => join(SCREENSHOTS, `published-pdf-p${page}.png`));
  });

  it("shows the published pages in Chromium with no WCAG 2.1 AA violation that axe-core finds", async () => {
    const page = await newJapanesePage(browser, { viewport: { width: 1100, height: 900 } });
    // The browser reads the site through the local stack's CDN, as the template's distribution serves the bucket.
    const origin = stack.urls.site;
    const pages: Array<[string, string]> = [
      ["index", "/"],
      ["year", `/${PLAN_ID}/${FY}/index.html`],
      ["version", `/${PLAN_ID}/${FY}/v2/index.html`],
    ];
    for (const [name, path] of pages) {
      await page.goto(`${origin}${path}`);
      await page.evaluate("document.fonts.ready");
      await page.screenshot({ path: join(SCREENSHOTS, `published-${name}.png`), fullPage: name === "index" });
      expect((await wcagViolations(page)).map((violation) => `${name}: ${violation}`)).toEqual([]);
    }
    // From the index to the year's page and on to the data, by the links a reader follows.
    await page.goto(`${origin}/`);
    await page.getByRole("link", { name: `${FY}年度（令和元年度） 点検評価報告書` }).click();
    await expect.poll(() => page.url()).toBe(`${origin}/${PLAN_ID}/${FY}/index.html`);
    await expect.poll(() => page.locator("h1").textContent()).toContain(`${FY}年度（令和元年度）点検評価報告書`);
    // As behind CloudFront with origin access control: no directory index, and a missing file is 403.
    expect((await fetch(`${origin}/${PLAN_ID}/${FY}/v1/index.html`)).status).toBe(403);
    const version = await fetch(`${origin}/${PLAN_ID}/${FY}/v2/index.html`);
    expect(version.headers.get("cache-control")).toContain("max-age=31536000");
    await page.context().close();
  });

  it("publishes no contact's or approver's name or address, and no business name, in any file", async () => {
    const businessNames = new Set<string>();
    await stack.table.submissions.forEachLatestSubmission(PLAN_ID, FY, (submission) => {
      for (const reported of submission.report.cases) businessNames.add(reported.businessName);
    });
    const people = [
      ...plan.secretariat.contacts,
      ...plan.institutions.flatMap((institution) => institution.contacts),
      ...(plan.approvals?.steps.flatMap((step) => step.approvers) ?? []),
    ];
    const secrets = [
      ...people.flatMap((person) => [person.name, person.name.replace(/\s/g, ""), person.email]),
      ...businessNames,
    ];
    expect(businessNames.size).toBeGreaterThan(5);
    // The secretariat's own draft does name businesses: the check below can fail.
    const draft = await s3.send(
      new GetObjectCommand({ Bucket: stack.bucketName, Key: `reports/${PLAN_ID}/${FY}/v2/index.html` }),
    );
    const draftHtml = (await draft.Body?.transformToString("utf-8")) ?? "";
    expect([...businessNames].some((name) => draftHtml.includes(name))).toBe(true);

    const found: string[] = [];
    for (const [path, object] of site) {
      const readable = path.endsWith(".pdf")
        ? (await readPdf(new Uint8Array(object.body))).text.join("\n")
        : object.body.toString("utf8");
      // Each file was read: even the shortest CSV has its header and a row.
      expect(readable.length, path).toBeGreaterThan(30);
      for (const secret of secrets) if (readable.includes(secret)) found.push(`${path}: ${secret}`);
    }
    expect(found).toEqual([]);
  });
});
