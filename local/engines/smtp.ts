import { randomBytes } from "node:crypto";
import { PutObjectCommand, type S3Client } from "@aws-sdk/client-s3";
import { SMTPServer, type SMTPServerAddress } from "smtp-server";
import type { RunningEngine } from "./dynamodb.ts";
import { freePort } from "./ports.ts";

/** An SES receipt rule as the template declares it, resolved to the local names. */
export interface LocalReceiptRule {
  ruleName: string;
  /** Addresses or domains the rule applies to; SES matches a domain entry against every address of that domain. */
  recipients: string[];
  /** The S3 action: where the raw message goes, as prefix + message id. */
  bucket: string;
  prefix: string;
  /** The Lambda action: the function called with SES's receipt event once the message is stored. */
  functionArn: string;
}

/** The largest message the listener takes, as SES does when its rule stores to S3 (40 MB). */
const MAX_MESSAGE_BYTES = 40 * 1024 * 1024;

function matches(rule: LocalReceiptRule, address: string): boolean {
  const lower = address.toLowerCase();
  const domain = lower.slice(lower.lastIndexOf("@") + 1);
  return rule.recipients.some((recipient) => {
    const entry = recipient.toLowerCase();
    return entry.includes("@") ? entry === lower : entry === domain;
  });
}

/** An id shaped like SES's (lower-case letters and digits): the object's key after the prefix, as on AWS. */
function newMessageId(): string {
  return randomBytes(20).toString("hex");
}

/**
 * The SES receipt event of the Lambda action (invocation type Event) for a message the listener received. The local
 * listener runs no SPF, DKIM, spam or virus check, so every verdict is DISABLED: SES's own word for a check that was
 * not run. Never PASS (nothing vouched for the sender) and never GRAY or PROCESSING_FAILED, which on AWS mean a
 * check ran and found no policy or signature, or broke.
 */
export function localReceiptEvent(input: {
  messageId: string;
  source: string;
  recipients: string[];
  functionArn: string;
  at: Date;
}) {
  const notChecked = { status: "DISABLED" as const };
  return {
    Records: [
      {
        eventSource: "aws:ses",
        eventVersion: "1.0",
        ses: {
          mail: {
            timestamp: input.at.toISOString(),
            source: input.source,
            messageId: input.messageId,
            destination: input.recipients,
            headersTruncated: false,
            headers: [],
          },
          receipt: {
            timestamp: input.at.toISOString(),
            processingTimeMillis: 0,
            recipients: input.recipients,
            spamVerdict: notChecked,
            virusVerdict: notChecked,
            spfVerdict: notChecked,
            dkimVerdict: notChecked,
            dmarcVerdict: notChecked,
            action: { type: "Lambda", functionArn: input.functionArn, invocationType: "Event" },
          },
        },
      },
    ],
  };
}

/**
 * An SMTP listener on loopback that does what the template's SES receipt rules do: a recipient no rule covers is
 * refused (as SES refuses mail it has no rule for), a message for a rule is stored raw in the rule's bucket under
 * prefix + message id, then the rule's function is called with SES's receipt event. The call is awaited before the
 * listener answers 250, so that whoever sent the message locally finds its outcome done; a failing function is
 * logged, as an Event invocation's failure would be, and the message stays stored.
 */
export async function startSmtpLocal(options: {
  rules: readonly LocalReceiptRule[];
  s3: S3Client;
  invoke: (functionArn: string, event: unknown) => Promise<unknown>;
  port?: number;
  log?: (line: string) => void;
}): Promise<RunningEngine> {
  const port = options.port ?? (await freePort());
  const log = options.log ?? ((line: string) => console.error(line));
  const server = new SMTPServer({
    // Loopback only, nothing to sign in to: the listener stands for SES's public MX, which takes mail from anyone.
    authOptional: true,
    disabledCommands: ["AUTH", "STARTTLS"],
    size: MAX_MESSAGE_BYTES,
    banner: "pdca local receipt rules",
    logger: false,
    onRcptTo(address: SMTPServerAddress, _session, callback) {
      if (options.rules.some((rule) => matches(rule, address.address))) return callback();
      const refusal = new Error(`No receipt rule for ${address.address}`) as Error & { responseCode: number };
      refusal.responseCode = 550;
      callback(refusal);
    },
    onData(stream, session, callback) {
      const chunks: Buffer[] = [];
      stream.on("data", (chunk: Buffer) => chunks.push(chunk));
      stream.on("end", () => {
        if (stream.sizeExceeded) {
          const refusal = new Error("Message exceeds 40 MB, the most SES stores") as Error & { responseCode: number };
          refusal.responseCode = 552;
          return callback(refusal);
        }
        const raw = Buffer.concat(chunks);
        const recipients = session.envelope.rcptTo.map((address) => address.address);
        const source = session.envelope.mailFrom ? session.envelope.mailFrom.address : "";
        const deliver = async () => {
          for (const rule of options.rules) {
            const covered = recipients.filter((recipient) => matches(rule, recipient));
            if (covered.length === 0) continue;
            const messageId = newMessageId();
            await options.s3.send(
              new PutObjectCommand({ Bucket: rule.bucket, Key: `${rule.prefix}${messageId}`, Body: raw }),
            );
            const event = localReceiptEvent({
              messageId,
              source,
              recipients: covered,
              functionArn: rule.functionArn,
              at: new Date(),
            });
            await options.invoke(rule.functionArn, event).catch((error: unknown) => {
              log(
                `受信メールの処理に失敗しました / a received message failed in ${rule.ruleName}: ${(error as Error).message}`,
              );
            });
          }
        };
        deliver().then(
          () => callback(),
          (error: unknown) => callback(error as Error),
        );
      });
    },
  });
  await new Promise<void>((resolve, reject) => {
    server.once("error", reject);
    server.listen(port, "127.0.0.1", () => resolve());
  });
  server.on("error", (error) => log(`SMTP: ${error.message}`));
  return {
    endpoint: `smtp://127.0.0.1:${port}`,
    stop: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}
