import { expect, vi } from "vitest";
import type { Quarter } from "../../domain/calendar.ts";
import { readMailbox } from "../../local/engines/ses.ts";
import type { LocalStack } from "../../local/stack.ts";

export const PLAN_ID = "hokkaido-kita-no-monozukuri";

/** Form links found in a mail body. */
export function formLinks(text: string): string[] {
  return [...text.matchAll(/https?:\/\/\S+\/forms\/[A-Za-z0-9_-]{43}/g)].map((match) => match[0]);
}

/**
 * Starts a round and waits until every institution has been emailed; returns each institution's form link by its
 * contact address.
 */
export async function startRoundAndCollectLinks(
  stack: LocalStack,
  fiscalYear: number,
  quarter: Quarter,
  deadlineInMs: number,
  lateWindowMs = 3_000,
): Promise<{ executionArn: string; links: Map<string, string> }> {
  const before = new Set((await readMailbox(stack.urls.mailbox)).map((mail) => mail.messageId));
  const { executionArn } = await stack.startRound({
    planId: PLAN_ID,
    fiscalYear,
    quarter,
    deadline: new Date(Date.now() + deadlineInMs).toISOString(),
    closesAt: new Date(Date.now() + deadlineInMs + lateWindowMs).toISOString(),
  });
  // vi.waitFor rather than expect.poll: test files call this from beforeAll, where expect.poll may not run.
  const mails = await vi.waitFor(
    async () => {
      const fresh = (await readMailbox(stack.urls.mailbox)).filter((mail) => !before.has(mail.messageId));
      if (fresh.length < 5) throw new Error(`${fresh.length} of 5 requests emailed`);
      return fresh;
    },
    { timeout: 20_000, interval: 50 },
  );
  const links = new Map(mails.map((mail) => [mail.destination.to[0] ?? "", formLinks(mail.body.text ?? "")[0] ?? ""]));
  expect([...links.values()].filter((link) => link === "")).toEqual([]);
  return { executionArn, links };
}

/** A minimal valid answer as urlencoded form fields. */
export function minimalAnswer(extra: Record<string, string> = {}): URLSearchParams {
  return new URLSearchParams({
    "counts[consultations]": "3",
    "counts[seminarsAndEvents]": "1",
    "counts[agreementsConcluded]": "0",
    ...extra,
  });
}

/** Posts form fields to a link as a browser would. */
export function postForm(link: string, body: URLSearchParams | string): Promise<Response> {
  return fetch(link, {
    method: "POST",
    headers: { "content-type": "application/x-www-form-urlencoded" },
    body: body.toString(),
  });
}
