import { CfnOutput, RemovalPolicy, Stack, type StackProps } from "aws-cdk-lib";
import { AttributeType, Billing, TableV2 } from "aws-cdk-lib/aws-dynamodb";
import { BlockPublicAccess, Bucket, BucketEncryption, ObjectOwnership } from "aws-cdk-lib/aws-s3";
import { Secret } from "aws-cdk-lib/aws-secretsmanager";
import type { Construct } from "constructs";
import { LINK_INDEX } from "../domain/keys.ts";

/**
 * The stateful half: the single table, the report bucket and the link key, retained and protected, apart from the
 * functions so that redeploying or even deleting the service stack never touches the data or kills a link.
 *
 * The table's key layout is written once, as a table, where the keys are built: domain/keys.ts.
 */
export class DataStack extends Stack {
  readonly table: TableV2;
  readonly reportsBucket: Bucket;
  /** The key personal form links are derived from (domain/link-token.ts); the table keeps only their hashes. */
  readonly linkKey: Secret;
  readonly sessionKey: Secret;

  constructor(scope: Construct, id: string, props?: StackProps) {
    super(scope, id, { ...props, terminationProtection: true });
    this.table = new TableV2(this, "Table", {
      partitionKey: { name: "pk", type: AttributeType.STRING },
      sortKey: { name: "sk", type: AttributeType.STRING },
      billing: Billing.onDemand(),
      pointInTimeRecoverySpecification: { pointInTimeRecoveryEnabled: true },
      deletionProtection: true,
      removalPolicy: RemovalPolicy.RETAIN,
      globalSecondaryIndexes: [{ indexName: LINK_INDEX, partitionKey: { name: "gsi1pk", type: AttributeType.STRING } }],
    });
    // Draft and approved reports, one prefix per fiscal year and version; versioned so nothing is ever overwritten.
    this.reportsBucket = new Bucket(this, "ReportsBucket", {
      encryption: BucketEncryption.S3_MANAGED,
      blockPublicAccess: BlockPublicAccess.BLOCK_ALL,
      objectOwnership: ObjectOwnership.BUCKET_OWNER_ENFORCED,
      enforceSSL: true,
      versioned: true,
      removalPolicy: RemovalPolicy.RETAIN,
    });
    new CfnOutput(this, "TableName", { value: this.table.tableName, description: "The single table" });
    this.linkKey = new Secret(this, "LinkKey", {
      description: "Key of the personal form links (HMAC); replacing it kills every link already emailed",
      generateSecretString: { passwordLength: 64, excludePunctuation: true },
      removalPolicy: RemovalPolicy.RETAIN,
    });
    this.sessionKey = new Secret(this, "SessionKey", {
      description: "Key the secretariat console's session cookies are signed with; replacing it signs everyone out",
      generateSecretString: { passwordLength: 64, excludePunctuation: true },
    });
  }
}
