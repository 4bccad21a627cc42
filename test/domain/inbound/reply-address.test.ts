import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { REPLY_TOKEN_PATTERN, replyAddress, replyToken, replyTokenIn } from "../../../domain/inbound/reply-address.ts";
import { formLinkToken } from "../../../domain/link-token.ts";

const subject = { planId: "hokkaido-kita-no-monozukuri", fiscalYear: 2022, quarter: 1, institutionId: "hro" };

describe("reply addresses", () => {
  it("derive one 256-bit, case-free token per request, within the 64 characters a local part may have", () => {
    const token = replyToken("key", subject);
    expect(token).toMatch(REPLY_TOKEN_PATTERN);
    expect(replyToken("key", subject)).toBe(token);
    expect(replyToken("key", { ...subject, quarter: 2 })).not.toBe(token);
    expect(replyToken("other key", subject)).not.toBe(token);
    const address = replyAddress(token, "Reply.Example.JP");
    expect(address).toBe(`answer+${token}@reply.example.jp`);
    expect(address.split("@")[0]?.length).toBeLessThanOrEqual(64);
  });

  it("never equal the form link's token, so one never opens the other", () => {
    expect(replyToken("key", subject)).not.toBe(formLinkToken("key", subject).toLowerCase());
  });

  it("are found among the recipients whatever the case a mail system gave them, and only in the inbound domain", () => {
    const token = replyToken("key", subject);
    const address = replyAddress(token, "reply.example.jp");
    expect(replyTokenIn(["someone@example.jp", address.toUpperCase()], "reply.example.jp")).toBe(token);
    expect(replyTokenIn([`<${address}>`], "reply.example.jp")).toBe(token);
    expect(replyTokenIn([address], "other.example.jp")).toBeUndefined();
    expect(replyTokenIn([`answer+${token.slice(1)}@reply.example.jp`], "reply.example.jp")).toBeUndefined();
    expect(replyTokenIn([`answer@reply.example.jp`], "reply.example.jp")).toBeUndefined();
  });

  it("never take anything but a well-formed token from an arbitrary address", () => {
    fc.assert(
      fc.property(fc.string(), (text) => {
        const token = replyTokenIn([text, `answer+${text}@reply.example.jp`], "reply.example.jp");
        expect(token === undefined || REPLY_TOKEN_PATTERN.test(token)).toBe(true);
      }),
    );
  });
});
