import { describe, expect, it } from "vitest";
import { reviewForAudience, showsBusinessNames } from "../../../domain/report/audience.ts";
import { reportFiles } from "../../../domain/report/files.ts";
import type { ReportJson } from "../../../domain/report/json.ts";
import { computeReview } from "../../../domain/review/review.ts";
import { handMadeReview } from "../../fixtures/review-inputs.ts";

// The hand-made FY2020 review has follow-up gaps (B18, C18's earlier years) whose business names the review
// carries into a finding and a table: what the secretariat reads, and the public does not.

const input = handMadeReview();
const plan = input.plan;
const review = computeReview(input);
const names = review.followUp.cohorts.flatMap((cohort) => cohort.missed.map((missed) => missed.businessName ?? ""));

function filesFor(audience: "secretariat" | "public", publish = plan) {
  return reportFiles(review, publish, { version: 2, status: "approved", charts: {}, audience });
}

describe("a report's audience", () => {
  it("has business names to hide in this review, so that the checks below can fail", () => {
    expect(names.length).toBeGreaterThan(0);
    expect(names.every((name) => name.startsWith("事業者"))).toBe(true);
    const secretariat = filesFor("secretariat").map((file) => file.body);
    for (const name of names)
      expect(
        secretariat.some((body) => body.includes(name)),
        name,
      ).toBe(true);
  });

  it("shows the public no business name in the HTML, any CSV or the JSON, unless the plan publishes them", () => {
    for (const file of filesFor("public"))
      for (const name of names) expect(file.body.includes(name), `${file.path} names ${name}`).toBe(false);
    const publishing = { ...plan, publication: { businessNames: "public" as const } };
    expect(showsBusinessNames(publishing, "public")).toBe(true);
    const published = filesFor("public", publishing).map((file) => file.body);
    for (const name of names)
      expect(
        published.some((body) => body.includes(name)),
        name,
      ).toBe(true);
  });

  it("names a follow-up gap by its case number instead, and leaves every other finding as the secretariat reads it", () => {
    const shown = reviewForAudience(review, plan, "public");
    expect(shown.findings.map((finding) => finding.kind)).toEqual(review.findings.map((finding) => finding.kind));
    shown.findings.forEach((finding, index) => {
      const original = review.findings[index];
      if (finding.kind === "follow-up-gap") {
        expect(finding.text).not.toBe(original?.text);
        expect(finding.text).toMatch(/（(B18|C18|E19)（/);
      } else expect(finding.text).toBe(original?.text);
    });
    // The review itself is not changed.
    expect(review.followUp.cohorts.some((cohort) => cohort.missed.some((missed) => missed.businessName))).toBe(true);
  });

  it("drops the business name column from the public table of follow-up gaps, keeping the rest", () => {
    const json = (files: ReturnType<typeof filesFor>) =>
      JSON.parse(String(files.find((file) => file.path === "report.json")?.body)) as ReportJson;
    const columns = (parsed: ReportJson) =>
      parsed.tables.find((table) => table.name === "follow-up-missed")?.columns.map((column) => column.key);
    expect(columns(json(filesFor("secretariat")))).toContain("businessName");
    const published = json(filesFor("public"));
    expect(columns(published)).toEqual(["cohort", "caseId", "institutions", "missedYears"]);
    expect(published.tables.find((table) => table.name === "follow-up-missed")?.rows.length).toBeGreaterThan(0);
    const csv = filesFor("public").find((file) => file.path === "data/follow-up-missed.csv")?.body ?? "";
    expect(csv.split("\r\n")[0]).toBe("\ufeff支援開始年度,案件番号,報告した機関,支援の報告がない年度");
  });
});
