import { createHmac } from "node:crypto";
import type { FormLinkSubject } from "../link-token.ts";

/** The local part's fixed head; the token follows the `+`. */
const LOCAL_PREFIX = "answer";

/** RFC 4648 base32, lower case: mail systems may change the case of a local part, so the token must not care. */
const BASE32 = "abcdefghijklmnopqrstuvwxyz234567";

/** A reply token: 256 bits as 52 base32 letters, so `answer+<token>` stays within the 64 a local part may have. */
export const REPLY_TOKEN_PATTERN = /^[a-z2-7]{52}$/;

function base32(bytes: Uint8Array): string {
  let bits = 0;
  let value = 0;
  let out = "";
  for (const byte of bytes) {
    value = (value << 8) | byte;
    bits += 8;
    while (bits >= 5) {
      out += BASE32[(value >>> (bits - 5)) & 31];
      bits -= 5;
    }
  }
  if (bits > 0) out += BASE32[(value << (5 - bits)) & 31];
  return out;
}

/**
 * The reply token of one request: an HMAC-SHA256 of the request under the link key, as form links are
 * (domain/link-token.ts), but under its own purpose, so a reply address never opens a form and the other way round.
 * The same request always gets the same address, so every reminder carries the one the institution already replied
 * to; the table keeps only the token's hash, and nobody without the key can make an address for a request.
 */
export function replyToken(linkKey: string, subject: FormLinkSubject): string {
  const mac = createHmac("sha256", linkKey)
    .update(
      ["reply-address", "v1", subject.planId, subject.fiscalYear, subject.quarter, subject.institutionId].join("|"),
      "utf8",
    )
    .digest();
  return base32(mac);
}

/** The inbound address that carries a reply token: `answer+<token>@<inbound domain>`. */
export function replyAddress(token: string, inboundDomain: string): string {
  return `${LOCAL_PREFIX}+${token}@${inboundDomain.toLowerCase()}`;
}

/**
 * The reply token in one of a message's recipient addresses, if any is a reply address of the inbound domain. Case
 * is ignored (see BASE32); anything else, including a well-formed address of another domain, gives undefined.
 */
export function replyTokenIn(recipients: readonly string[], inboundDomain: string): string | undefined {
  const domain = inboundDomain.toLowerCase();
  for (const recipient of recipients) {
    const address = recipient.trim().toLowerCase().replace(/^<|>$/g, "");
    const at = address.lastIndexOf("@");
    if (at < 0 || address.slice(at + 1) !== domain) continue;
    const local = address.slice(0, at);
    if (!local.startsWith(`${LOCAL_PREFIX}+`)) continue;
    const token = local.slice(LOCAL_PREFIX.length + 1);
    if (REPLY_TOKEN_PATTERN.test(token)) return token;
  }
  return undefined;
}
