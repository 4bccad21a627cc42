import { describe, expect, it } from "vitest";
import { draftExecutionName, keys, reviewExecutionName, roundId } from "../../domain/keys.ts";

describe("single-table keys", () => {
  it("puts a fiscal year's rounds, requests, submissions, audit and reviews in one partition", () => {
    const partition = "PLAN#p#FY#2024";
    expect(keys.round("p", 2024, 1).pk).toBe(partition);
    expect(keys.request("p", 2024, 1, "hro").pk).toBe(partition);
    expect(keys.submissionVersion("p", 2024, 1, "hro", 1).pk).toBe(partition);
    expect(keys.latestSubmission("p", 2024, 1, "hro").pk).toBe(partition);
    expect(keys.audit("p", 2024, new Date(0), "x").pk).toBe(partition);
    expect(keys.review("p", 2024, 1).pk).toBe(partition);
    expect(keys.plan("p").pk).not.toBe(partition);
  });

  it("pads version numbers so that sort-key order is version order", () => {
    const sortKeys = [10, 2, 1, 100_000].map((version) => keys.submissionVersion("p", 2024, 1, "hro", version).sk);
    expect([...sortKeys].sort()).toEqual(
      [1, 2, 10, 100_000].map((v) => keys.submissionVersion("p", 2024, 1, "hro", v).sk),
    );
    expect(keys.review("p", 2024, 3).sk).toBe("REVIEW#V#000003");
  });

  it("builds each prefix so that it selects exactly its items and no neighbour's", () => {
    const under = (prefix: { pk: string; skPrefix: string }, key: { pk: string; sk: string }) =>
      key.pk === prefix.pk && key.sk.startsWith(prefix.skPrefix);
    const q1Requests = keys.requestsPrefix("p", 2024, 1);
    expect(under(q1Requests, keys.request("p", 2024, 1, "hro"))).toBe(true);
    expect(under(q1Requests, keys.request("p", 2024, 2, "hro"))).toBe(false);
    const hroVersions = keys.submissionVersionsPrefix("p", 2024, 1, "hro");
    expect(under(hroVersions, keys.submissionVersion("p", 2024, 1, "hro", 7))).toBe(true);
    // An institution whose id starts with another's must not be swept in.
    expect(under(hroVersions, keys.submissionVersion("p", 2024, 1, "hro-2", 7))).toBe(false);
    expect(under(keys.latestSubmissionsPrefix("p", 2024), keys.latestSubmission("p", 2024, 4, "x"))).toBe(true);
    expect(under(keys.latestSubmissionsPrefix("p", 2024), keys.submissionVersion("p", 2024, 4, "x", 1))).toBe(false);
    expect(under(keys.roundsPrefix("p", 2024), keys.round("p", 2024, 3))).toBe(true);
    expect(under(keys.auditPrefix("p", 2024), keys.audit("p", 2024, new Date(0), "a"))).toBe(true);
    expect(under(keys.reviewsPrefix("p", 2024), keys.review("p", 2024, 1))).toBe(true);
    expect(under(keys.casesSeenPrefix("p", "hro"), keys.caseSeen("p", "hro", "C-1"))).toBe(true);
    expect(under(keys.casesSeenPrefix("p", "hro"), keys.caseSeen("p", "hro-2", "C-1"))).toBe(false);
    // The site's list: every plan's published versions in one partition, a year's apart from a longer-named plan's.
    expect(under(keys.publicationsPrefix(), keys.publication("p", 2024, 2))).toBe(true);
    expect(under(keys.publicationsOfYearPrefix("p", 2024), keys.publication("p", 2024, 2))).toBe(true);
    expect(under(keys.publicationsOfYearPrefix("p", 2024), keys.publication("p-2", 2024, 2))).toBe(false);
    expect(under(keys.publicationsOfYearPrefix("p", 2024), keys.publication("p", 2025, 2))).toBe(false);
    expect(keys.publication("p", 2024, 2).pk).not.toBe(keys.review("p", 2024, 2).pk);
  });

  it("orders audit entries by time within the partition", () => {
    const earlier = keys.audit("p", 2024, new Date("2024-05-01T00:00:00Z"), "b").sk;
    const later = keys.audit("p", 2024, new Date("2024-05-01T00:00:01Z"), "a").sk;
    expect(earlier < later).toBe(true);
  });

  it("names a round's execution and the review's after the round", () => {
    expect(roundId("hokkaido", 2019, 1)).toBe("hokkaido-2019-Q1");
    expect(reviewExecutionName("hokkaido", 2019)).toBe("hokkaido-2019-review");
  });

  it("keeps a draft's execution name within Step Functions' 80 characters for the longest plan id", () => {
    const name = draftExecutionName("p".repeat(64), 2100, new Date("2100-03-31T23:59:59Z"));
    expect(name.length).toBeLessThanOrEqual(80);
    expect(name).toMatch(/^[A-Za-z0-9_-]+$/);
    expect(draftExecutionName("p", 2024, new Date(1))).not.toBe(draftExecutionName("p", 2024, new Date(2)));
  });
});
