import { Aws, CfnOutput, Duration, RemovalPolicy, Stack } from "aws-cdk-lib";
import { PolicyStatement, ServicePrincipal } from "aws-cdk-lib/aws-iam";
import { CfnPermission, type IFunction } from "aws-cdk-lib/aws-lambda";
import { BlockPublicAccess, Bucket, BucketEncryption, ObjectOwnership } from "aws-cdk-lib/aws-s3";
import { CfnReceiptRule, CfnReceiptRuleSet } from "aws-cdk-lib/aws-ses";
import { Construct } from "constructs";

export interface InboundMailProps {
  /** The domain of the reply addresses (`answer+<token>@<domain>`); its MX record must point at SES. */
  readonly domain: string;
  /** The catalog's receiveReply, invoked for each received message once it is stored. */
  readonly receiveReply: IFunction;
  /** How long a received message is kept (quarantined ones included), for whoever looks into one. @default 400 days */
  readonly retention?: Duration;
}

/** The key prefix the receipt rule stores messages under (the function's grant covers this prefix alone). */
export const INBOUND_PREFIX = "inbound/";
/** The rule's name inside its own rule set; the bucket policy and the invoke permission name it in their SourceArn. */
export const INBOUND_RULE_NAME = "replies-to-requests";

/**
 * Replies to the request mail, received by SES (DESIGN.md §4 "mail in"):
 * 1. A receipt rule set with one rule for every address of the inbound domain: scan for spam and viruses, require
 *    TLS, then
 * 2. an S3 action stores the raw message in a private, encrypted bucket that keeps it for a limited time, and
 * 3. a Lambda action (invocation type Event, as AWS recommends unless the function must decide the mail flow) calls
 *    receiveReply with SES's receipt event: the message id (the object's key after the prefix) and SPF/DKIM verdicts.
 *    The Lambda action alone would not do: its event carries the headers but never the body and attachments.
 * SES may write to the bucket and invoke the function only for this account and this rule (aws:SourceAccount and
 * aws:SourceArn), and the rule is created after both permissions, since SES checks them when the rule is saved.
 *
 * CloudFormation creates the rule set but cannot make it the account's active one (one per account and region, with
 * no CloudFormation property for it); activating it would also silently switch off any rule set the account already
 * uses for other mail. So it is a deliberate deploy step, printed as the stack output `ActivateInboundRuleSet`.
 */
export class InboundMail extends Construct {
  readonly bucket: Bucket;
  readonly ruleSet: CfnReceiptRuleSet;
  readonly rule: CfnReceiptRule;
  readonly prefix = INBOUND_PREFIX;

  constructor(scope: Construct, id: string, props: InboundMailProps) {
    super(scope, id);
    this.bucket = new Bucket(this, "Bucket", {
      encryption: BucketEncryption.S3_MANAGED,
      blockPublicAccess: BlockPublicAccess.BLOCK_ALL,
      objectOwnership: ObjectOwnership.BUCKET_OWNER_ENFORCED,
      enforceSSL: true,
      // A reply is read within seconds; what is kept after that is evidence of a quarantined or refused one.
      lifecycleRules: [{ prefix: INBOUND_PREFIX, expiration: props.retention ?? Duration.days(400) }],
      removalPolicy: RemovalPolicy.RETAIN,
    });
    this.ruleSet = new CfnReceiptRuleSet(this, "RuleSet", {});
    const ruleArn = Stack.of(this).formatArn({
      service: "ses",
      resource: "receipt-rule-set",
      resourceName: `${this.ruleSet.ref}:receipt-rule/${INBOUND_RULE_NAME}`,
    });
    const fromThisRule = { StringEquals: { "aws:SourceAccount": Aws.ACCOUNT_ID, "aws:SourceArn": ruleArn } };
    this.bucket.addToResourcePolicy(
      new PolicyStatement({
        sid: "AllowSesToStoreReplies",
        principals: [new ServicePrincipal("ses.amazonaws.com")],
        actions: ["s3:PutObject"],
        resources: [this.bucket.arnForObjects(`${INBOUND_PREFIX}*`)],
        conditions: fromThisRule,
      }),
    );
    const invoke = new CfnPermission(this, "AllowSesToInvoke", {
      action: "lambda:InvokeFunction",
      functionName: props.receiveReply.functionArn,
      principal: "ses.amazonaws.com",
      sourceAccount: Aws.ACCOUNT_ID,
      sourceArn: ruleArn,
    });
    this.rule = new CfnReceiptRule(this, "Rule", {
      ruleSetName: this.ruleSet.ref,
      rule: {
        name: INBOUND_RULE_NAME,
        enabled: true,
        recipients: [props.domain],
        scanEnabled: true,
        tlsPolicy: "Require",
        actions: [
          { s3Action: { bucketName: this.bucket.bucketName, objectKeyPrefix: INBOUND_PREFIX } },
          { lambdaAction: { functionArn: props.receiveReply.functionArn, invocationType: "Event" } },
        ],
      },
    });
    const policy = this.bucket.policy;
    if (policy) this.rule.node.addDependency(policy);
    this.rule.node.addDependency(invoke);

    new CfnOutput(this, "RuleSetName", { key: "InboundRuleSetName", value: this.ruleSet.ref });
    new CfnOutput(this, "Activate", {
      key: "ActivateInboundRuleSet",
      value: `aws ses set-active-receipt-rule-set --region ${Aws.REGION} --rule-set-name ${this.ruleSet.ref}`,
      description:
        "Run once after the first deploy (it replaces the account's active receipt rule set: merge rules first if one is active)",
    });
    new CfnOutput(this, "MxRecord", {
      key: "InboundMxRecord",
      value: `${props.domain} MX 10 inbound-smtp.${Aws.REGION}.amazonaws.com`,
      description: "The DNS record that brings the replies to SES",
    });
  }
}
