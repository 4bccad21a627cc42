import { createHash } from "node:crypto";

/** A form link's token: 32 random bytes (256 bits) as base64url, 43 characters. */
export const LINK_TOKEN_PATTERN = /^[A-Za-z0-9_-]{43}$/;

/** The only form of a link token the table keeps. */
export function hashLinkToken(token: string): string {
  return createHash("sha256").update(token, "utf8").digest("hex");
}

/** Whether a string can be a link token at all; anything else is refused before any read. */
export function isWellFormedLinkToken(token: string): boolean {
  return LINK_TOKEN_PATTERN.test(token);
}
