import { type SESClient, SendEmailCommand } from "@aws-sdk/client-ses";
import type { MailMessage } from "../../domain/mail.ts";

/** Sends the domain's plain-text messages through SES, in UTF-8 so Japanese subjects and bodies survive. */
export class Mailer {
  constructor(
    private readonly client: SESClient,
    private readonly from: string,
  ) {}

  /** Sends one message; returns SES's message id. */
  async send(message: MailMessage): Promise<string> {
    const result = await this.client.send(
      new SendEmailCommand({
        Source: this.from,
        Destination: { ToAddresses: message.to },
        ReplyToAddresses: message.replyTo,
        Message: {
          Subject: { Data: message.subject, Charset: "UTF-8" },
          Body: { Text: { Data: message.text, Charset: "UTF-8" } },
        },
      }),
    );
    return result.MessageId ?? "";
  }
}
