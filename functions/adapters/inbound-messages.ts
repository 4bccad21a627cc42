import { GetObjectCommand, type S3Client } from "@aws-sdk/client-s3";
import { simpleParser } from "mailparser";
import type { ParsedMessage } from "../use-cases/receive-reply.ts";

/** The largest message read; SES stores up to 40 MB, and an answer file may be 10 MB before base64. */
export const MAX_MESSAGE_BYTES = 20 * 1024 * 1024;

/** A message too large to read; it stays in the bucket. */
export class MessageTooLargeError extends Error {
  override readonly name = "MessageTooLargeError";
}

/**
 * The raw messages the receipt rule stored (key: prefix + SES message id), parsed with mailparser: the headers as
 * the sender wrote them (the raw lines, not mailparser's structured values), the From addresses, the attachments.
 */
export class InboundMessages {
  constructor(
    private readonly client: S3Client,
    private readonly bucket: string,
    private readonly prefix: string,
  ) {}

  /** Where a message is kept, as the secretariat's notice names it. */
  location(messageId: string): string {
    return `s3://${this.bucket}/${this.prefix}${messageId}`;
  }

  async load(messageId: string): Promise<{ message: ParsedMessage; storedAt: string }> {
    const object = await this.client.send(
      new GetObjectCommand({ Bucket: this.bucket, Key: `${this.prefix}${messageId}` }),
    );
    if ((object.ContentLength ?? 0) > MAX_MESSAGE_BYTES) throw new MessageTooLargeError(messageId);
    const bytes = Buffer.from((await object.Body?.transformToByteArray()) ?? new Uint8Array());
    const parsed = await simpleParser(bytes, { skipHtmlToText: true, skipTextToHtml: true, skipTextLinks: true });
    const headers = new Map<string, string>();
    for (const { key, line } of parsed.headerLines) {
      // The first of a repeated header is the one its author wrote; later ones are relays' (Received and the like).
      if (!headers.has(key)) headers.set(key, line.slice(line.indexOf(":") + 1).trim());
    }
    const from = (parsed.from?.value ?? []).flatMap((address) => (address.address ? [address.address] : []));
    return {
      message: {
        headers,
        from,
        subject: parsed.subject ?? "",
        attachments: parsed.attachments.map((attachment) => ({
          fileName: attachment.filename ?? "",
          contentType: attachment.contentType,
          bytes: new Uint8Array(attachment.content),
        })),
      },
      storedAt: this.location(messageId),
    };
  }
}
