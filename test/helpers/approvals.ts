import { expect } from "vitest";
import { readMailbox } from "../../local/engines/ses.ts";
import type { LocalStack } from "../../local/stack.ts";
import { postForm } from "./rounds.ts";

/** The addresses of the reference plan's institution heads, who approve in the first step. */
export const HEADS = ["hro-head", "nortec-head", "hsc-head", "hokuyo-head", "dogin-head"].map(
  (id) => `${id}@example.jp`,
);
/** The secretariat's head, who gives the final approval. */
export const FINAL_APPROVER = "secretariat-head@example.jp";

/** The approval links in mail to `address` about `version` of a year's report, newest last. */
export async function approvalLinks(
  stack: LocalStack,
  address: string,
  version: number,
  fiscalYear: number,
): Promise<string[]> {
  const mails = await readMailbox(stack.urls.mailbox);
  return mails
    .filter(
      (mail) =>
        mail.destination.to.includes(address) &&
        mail.subject.includes(`${fiscalYear}年度`) &&
        mail.subject.includes(`第${version}版`),
    )
    .flatMap((mail) => [...(mail.body.text ?? "").matchAll(/https?:\/\/\S+\/approvals\/[A-Za-z0-9_-]{43}/g)])
    .map((match) => match[0]);
}

/** Waits for the approval link mailed to `address` about `version`, and returns the newest. */
export async function approvalLinkOf(
  stack: LocalStack,
  address: string,
  version: number,
  fiscalYear: number,
): Promise<string> {
  await expect.poll(() => approvalLinks(stack, address, version, fiscalYear), { timeout: 30_000 }).not.toEqual([]);
  return (await approvalLinks(stack, address, version, fiscalYear)).at(-1) as string;
}

/** Posts a decision from an approval page, as its form does. */
export function decide(link: string, fields: Record<string, string>): Promise<Response> {
  return postForm(link, new URLSearchParams(fields));
}
