import { describe, expect, it } from "vitest";
import * as z from "zod/mini";
import {
  decideSender,
  isAutomatedMessage,
  sesReceiptEventSchema,
  singleAddress,
  type VerdictStatus,
} from "../../../domain/inbound/inbound-mail.ts";
import { sesReceiptEvent } from "../../fixtures/ses-receipt-event.ts";

const institution = { contacts: [{ name: "担当", email: "Tanto@hro.example.jp" }] };
const accept = (
  spf: VerdictStatus,
  dkim: VerdictStatus,
  options: { from?: string; envelope?: string; local?: boolean } = {},
) =>
  decideSender({
    from: options.from ?? "tanto@hro.example.jp",
    envelopeSender: options.envelope ?? "tanto@hro.example.jp",
    institution,
    spf,
    dkim,
    acceptUnchecked: options.local ?? false,
  });

describe("who may answer by reply", () => {
  it("accepts a contact of the institution whose mail passed SPF and DKIM", () => {
    expect(accept("PASS", "PASS")).toEqual({ kind: "accept", verdictsChecked: true });
    expect(accept("PASS", "PASS", { envelope: "bounce@mail.hro.example.jp" })).toEqual({
      kind: "accept",
      verdictsChecked: true,
    });
  });

  it("quarantines anybody else, a failed or missing verdict, and an envelope of another domain", () => {
    expect(accept("PASS", "PASS", { from: "someone@else.example.jp" })).toEqual({
      kind: "quarantine",
      reason: "not-a-contact",
    });
    for (const spf of ["FAIL", "GRAY", "PROCESSING_FAILED"] as const)
      expect(accept(spf, "PASS")).toEqual({ kind: "quarantine", reason: "spf-failed" });
    for (const dkim of ["FAIL", "GRAY", "PROCESSING_FAILED"] as const)
      expect(accept("PASS", dkim)).toEqual({ kind: "quarantine", reason: "dkim-failed" });
    expect(accept("PASS", "PASS", { envelope: "tanto@evil.example" })).toEqual({
      kind: "quarantine",
      reason: "sender-mismatch",
    });
  });

  it("takes unchecked mail (the local listener's DISABLED) only where the local setting says so", () => {
    expect(accept("DISABLED", "DISABLED")).toEqual({ kind: "quarantine", reason: "unchecked" });
    expect(accept("DISABLED", "DISABLED", { local: true })).toEqual({ kind: "accept", verdictsChecked: false });
    expect(accept("DISABLED", "FAIL", { local: true })).toEqual({ kind: "quarantine", reason: "spf-failed" });
  });

  it("reads one From address only", () => {
    expect(singleAddress(["A@B.jp"])).toBe("a@b.jp");
    expect(singleAddress(["a@b.jp", "c@d.jp"])).toBeUndefined();
    expect(singleAddress([])).toBeUndefined();
  });
});

describe("mail written by machines", () => {
  const headers = (entries: Record<string, string>) => new Map(Object.entries(entries));
  it("is recognised from Auto-Submitted, an empty Return-Path, Precedence, a report or a daemon", () => {
    expect(isAutomatedMessage(headers({ "auto-submitted": "auto-replied" }), "a@b.jp")).toBe(true);
    expect(isAutomatedMessage(headers({ "return-path": "<>" }), "a@b.jp")).toBe(true);
    expect(isAutomatedMessage(headers({}), "")).toBe(true);
    expect(isAutomatedMessage(headers({ precedence: "bulk" }), "a@b.jp")).toBe(true);
    expect(
      isAutomatedMessage(headers({ "content-type": "multipart/report; report-type=delivery-status" }), "a@b.jp"),
    ).toBe(true);
    expect(isAutomatedMessage(headers({}), "MAILER-DAEMON@b.jp")).toBe(true);
  });
  it("is not a person's reply, even one that says Auto-Submitted: no", () => {
    expect(isAutomatedMessage(headers({ "auto-submitted": "no", "return-path": "<a@b.jp>" }), "a@b.jp")).toBe(false);
  });
});

describe("SES's receipt event", () => {
  it("parses as SES documents it, and refuses anything else", () => {
    const event = sesReceiptEvent({ messageId: "abc123", spf: "PASS", dkim: "FAIL" });
    const parsed = z.parse(sesReceiptEventSchema, event);
    expect(parsed.Records[0]?.ses.receipt.dkimVerdict.status).toBe("FAIL");
    expect(z.safeParse(sesReceiptEventSchema, { Records: [] }).success).toBe(false);
    const bad = structuredClone(event);
    (bad.Records[0] as { ses: { mail: { messageId: string } } }).ses.mail.messageId = "../../etc/passwd";
    expect(z.safeParse(sesReceiptEventSchema, bad).success).toBe(false);
  });
});
