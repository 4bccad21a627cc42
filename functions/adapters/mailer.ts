import { type SESClient, SendEmailCommand, SendRawEmailCommand } from "@aws-sdk/client-ses";
import type { MailMessage } from "../../domain/mail.ts";

/**
 * Sends the domain's plain-text messages through SES, in UTF-8 so Japanese subjects and bodies survive. With a
 * configuration set (on AWS), SES reports each bounce and complaint, with the message's tags, to the platform
 * (functions/record-mail-feedback.ts). A message with attachments goes as a raw MIME message (SES's SendEmail takes
 * no attachment) with the same recipients, configuration set and tags, composed by `composeMime`: only the functions
 * that attach files are given it (adapters/mime.ts), so the others do not carry a MIME library.
 */
export class Mailer {
  constructor(
    private readonly client: SESClient,
    private readonly from: string,
    private readonly configurationSet?: string,
    private readonly composeMime?: ComposeMime,
  ) {}

  /**
   * Sends one message, leaving out the addresses in `skip` (they bounced or complained this round); returns SES's
   * message id, or undefined when no recipient was left to send to.
   */
  async send(message: MailMessage, options: { skip?: readonly string[] } = {}): Promise<string | undefined> {
    const skipped = new Set((options.skip ?? []).map((address) => address.toLowerCase()));
    const keep = (addresses: readonly string[] = []) =>
      addresses.filter((address) => !skipped.has(address.toLowerCase()));
    const to = keep(message.to);
    if (to.length === 0) return undefined;
    const cc = keep(message.cc);
    if (message.attachments?.length) return this.sendRaw(message, to, cc);
    const result = await this.client.send(
      new SendEmailCommand({
        Source: this.from,
        Destination: { ToAddresses: to, ...(cc.length ? { CcAddresses: cc } : {}) },
        ReplyToAddresses: message.replyTo,
        Message: {
          Subject: { Data: message.subject, Charset: "UTF-8" },
          Body: { Text: { Data: message.text, Charset: "UTF-8" } },
        },
        ...(this.configurationSet ? { ConfigurationSetName: this.configurationSet } : {}),
        ...(message.tags ? { Tags: Object.entries(message.tags).map(([Name, Value]) => ({ Name, Value })) } : {}),
      }),
    );
    return result.MessageId ?? "";
  }

  private async sendRaw(message: MailMessage, to: string[], cc: string[]): Promise<string> {
    if (!this.composeMime) throw new Error("This mailer was not given a MIME composer for attachments");
    const data = await this.composeMime({ ...message, from: this.from, to, cc });
    const result = await this.client.send(
      new SendRawEmailCommand({
        Source: this.from,
        Destinations: [...to, ...cc],
        RawMessage: { Data: data },
        ...(this.configurationSet ? { ConfigurationSetName: this.configurationSet } : {}),
        ...(message.tags ? { Tags: Object.entries(message.tags).map(([Name, Value]) => ({ Name, Value })) } : {}),
      }),
    );
    return result.MessageId ?? "";
  }
}

/** Writes a message, with its sender and its recipients as sent, as a raw MIME message. */
export type ComposeMime = (message: MailMessage & { from: string }) => Promise<Uint8Array>;
