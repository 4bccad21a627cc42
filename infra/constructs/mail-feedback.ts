import { ServicePrincipal } from "aws-cdk-lib/aws-iam";
import { Key } from "aws-cdk-lib/aws-kms";
import type { IFunction } from "aws-cdk-lib/aws-lambda";
import { ConfigurationSet, EmailSendingEvent, EventDestination } from "aws-cdk-lib/aws-ses";
import { Topic } from "aws-cdk-lib/aws-sns";
import { LambdaSubscription } from "aws-cdk-lib/aws-sns-subscriptions";
import { Construct } from "constructs";

export interface MailFeedbackProps {
  /** The function told of each bounce and complaint (functions/record-mail-feedback.ts). */
  readonly recordFeedback: IFunction;
}

/**
 * Bounces and complaints of the platform's mail: every mailer sends through this SES configuration set, whose event
 * destination publishes each bounce and complaint (with the message's tags, which name its request) to an encrypted
 * SNS topic, and the topic calls the function that marks the address undeliverable and tells the secretariat.
 */
export class MailFeedback extends Construct {
  readonly configurationSet: ConfigurationSet;
  readonly topic: Topic;

  constructor(scope: Construct, id: string, props: MailFeedbackProps) {
    super(scope, id);
    const key = new Key(this, "TopicKey", { enableKeyRotation: true, description: "SES bounce and complaint topic" });
    // SES publishes to the encrypted topic, so it must be able to use the topic's key.
    key.grant(new ServicePrincipal("ses.amazonaws.com"), "kms:Decrypt", "kms:GenerateDataKey*");
    this.topic = new Topic(this, "Topic", { masterKey: key, enforceSSL: true });
    this.configurationSet = new ConfigurationSet(this, "ConfigurationSet");
    this.configurationSet.addEventDestination("BouncesAndComplaints", {
      destination: EventDestination.snsTopic(this.topic),
      events: [EmailSendingEvent.BOUNCE, EmailSendingEvent.COMPLAINT],
    });
    this.topic.addSubscription(new LambdaSubscription(props.recordFeedback));
  }
}
