import { Duration } from "aws-cdk-lib";
import { Alarm, ComparisonOperator, type IMetric, TreatMissingData } from "aws-cdk-lib/aws-cloudwatch";
import { SnsAction } from "aws-cdk-lib/aws-cloudwatch-actions";
import { ServicePrincipal } from "aws-cdk-lib/aws-iam";
import { Key } from "aws-cdk-lib/aws-kms";
import { FilterPattern, MetricFilter } from "aws-cdk-lib/aws-logs";
import { Topic } from "aws-cdk-lib/aws-sns";
import { EmailSubscription } from "aws-cdk-lib/aws-sns-subscriptions";
import type { StateMachine } from "aws-cdk-lib/aws-stepfunctions";
import { Construct } from "constructs";
import type { PdcaFunction } from "./pdca-function.ts";

export interface OperatorAlarmsProps {
  /** Where alarms are emailed; the subscription must be confirmed from the first mail. @default no subscription */
  readonly operatorsEmail?: string;
  /** Workflows whose failed, timed-out or aborted executions alarm. */
  readonly workflows: Readonly<Record<string, StateMachine>>;
  /**
   * Functions that answer people over HTTP. They turn every failure into a page, so Lambda's own Errors metric stays
   * at zero: their ERROR log lines are counted instead.
   */
  readonly httpFunctions: Readonly<Record<string, PdcaFunction>>;
}

/** The namespace of the platform's own metrics. */
export const METRIC_NAMESPACE = "PdcaReview";

/** The log lines an HTTP function's handled-error metric counts: the structured logger's ERROR level. */
export const HANDLED_ERROR_PATTERN = FilterPattern.stringValue("$.level", "=", "ERROR");

/**
 * Alarms that reach someone: a topic for the operators (encrypted with a key of its own, which CloudWatch may use),
 * an optional email subscription, and alarms for failed workflows and for failures the HTTP functions handled.
 */
export class OperatorAlarms extends Construct {
  readonly topic: Topic;
  readonly alarms: Alarm[] = [];

  constructor(scope: Construct, id: string, props: OperatorAlarmsProps) {
    super(scope, id);
    // CloudWatch cannot publish to a topic under the AWS-managed SNS key; a key of our own lets it.
    const key = new Key(this, "TopicKey", { enableKeyRotation: true, description: "Operator alarm topic" });
    key.grant(new ServicePrincipal("cloudwatch.amazonaws.com"), "kms:Decrypt", "kms:GenerateDataKey*");
    this.topic = new Topic(this, "Topic", {
      displayName: "PDCA review platform alarms",
      masterKey: key,
      enforceSSL: true,
    });
    if (props.operatorsEmail) this.topic.addSubscription(new EmailSubscription(props.operatorsEmail));

    for (const [name, machine] of Object.entries(props.workflows)) {
      for (const [what, metric] of [
        ["Failed", machine.metricFailed({ period: Duration.minutes(5) })],
        ["TimedOut", machine.metricTimedOut({ period: Duration.minutes(5) })],
        ["Aborted", machine.metricAborted({ period: Duration.minutes(5) })],
      ] as const)
        this.alarm(`${name}${what}`, metric, `${name}: an execution ${what.toLowerCase()}`);
    }
    for (const [name, fn] of Object.entries(props.httpFunctions)) {
      const filter = new MetricFilter(this, `${name}HandledErrors`, {
        logGroup: fn.logGroup,
        filterPattern: HANDLED_ERROR_PATTERN,
        metricNamespace: METRIC_NAMESPACE,
        metricName: `${name}HandledErrors`,
        metricValue: "1",
        defaultValue: 0,
      });
      this.alarm(
        `${name}HandledErrors`,
        filter.metric({ period: Duration.minutes(5), statistic: "Sum" }),
        `${name}: a request failed on our side and was answered with an error page`,
      );
    }
  }

  private alarm(id: string, metric: IMetric, description: string): void {
    const alarm = new Alarm(this, `${id}Alarm`, {
      metric,
      alarmDescription: description,
      threshold: 1,
      evaluationPeriods: 1,
      comparisonOperator: ComparisonOperator.GREATER_THAN_OR_EQUAL_TO_THRESHOLD,
      treatMissingData: TreatMissingData.NOT_BREACHING,
    });
    alarm.addAlarmAction(new SnsAction(this.topic));
    this.alarms.push(alarm);
  }
}
