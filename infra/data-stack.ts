import { CfnOutput, Duration, RemovalPolicy, Stack, type StackProps } from "aws-cdk-lib";
import {
  AllowedMethods,
  CachePolicy,
  Distribution,
  HeadersFrameOption,
  HeadersReferrerPolicy,
  HttpVersion,
  PriceClass,
  ResponseHeadersPolicy,
  ViewerProtocolPolicy,
} from "aws-cdk-lib/aws-cloudfront";
import { S3BucketOrigin } from "aws-cdk-lib/aws-cloudfront-origins";
import { AttributeType, Billing, TableV2 } from "aws-cdk-lib/aws-dynamodb";
import { BlockPublicAccess, Bucket, BucketEncryption, ObjectOwnership } from "aws-cdk-lib/aws-s3";
import { Secret } from "aws-cdk-lib/aws-secretsmanager";
import type { Construct } from "constructs";
import { LINK_INDEX } from "../domain/keys.ts";

/** The key prefix of the site bucket that the CDN serves as the site's root; the publisher may write only below it. */
export const SITE_ROOT = "site/";

/**
 * The stateful half: the single table, the report bucket, the link key and the published site (its bucket and the
 * CDN in front of it), retained and protected, apart from the functions so that redeploying or even deleting the
 * service stack never touches the data, kills a link or takes the public reports down.
 *
 * The table's key layout is written once, as a table, where the keys are built: domain/keys.ts.
 */
export class DataStack extends Stack {
  readonly table: TableV2;
  readonly reportsBucket: Bucket;
  /** The key personal form links are derived from (domain/link-token.ts); the table keeps only their hashes. */
  readonly linkKey: Secret;
  readonly sessionKey: Secret;
  /** The published site's files (公表), private: only the CDN reads them. */
  readonly siteBucket: Bucket;
  /** The CDN's access logs. */
  readonly siteLogsBucket: Bucket;
  readonly siteDistribution: Distribution;
  /** The site's public base URL, the CDN's address. */
  readonly siteUrl: string;

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

    // The published site. Its bucket is as private as the others: CloudFront reads it through origin access control
    // (a bucket policy naming this distribution alone), so the distribution lives here, beside the bucket it names.
    this.siteBucket = new Bucket(this, "SiteBucket", {
      encryption: BucketEncryption.S3_MANAGED,
      blockPublicAccess: BlockPublicAccess.BLOCK_ALL,
      objectOwnership: ObjectOwnership.BUCKET_OWNER_ENFORCED,
      enforceSSL: true,
      versioned: true,
      removalPolicy: RemovalPolicy.RETAIN,
    });
    this.siteLogsBucket = new Bucket(this, "SiteLogsBucket", {
      encryption: BucketEncryption.S3_MANAGED,
      blockPublicAccess: BlockPublicAccess.BLOCK_ALL,
      // CloudFront's standard logs are delivered with an object ACL, which this bucket must therefore accept.
      objectOwnership: ObjectOwnership.OBJECT_WRITER,
      enforceSSL: true,
      removalPolicy: RemovalPolicy.RETAIN,
      lifecycleRules: [{ expiration: Duration.days(400) }],
    });
    // The pages are static, script-free and self-contained (inline styles and charts, no fonts or images from
    // elsewhere): the policy allows exactly that, and no framing.
    const headers = new ResponseHeadersPolicy(this, "SiteHeaders", {
      comment: "Security headers of the published reports",
      securityHeadersBehavior: {
        contentSecurityPolicy: {
          contentSecurityPolicy:
            "default-src 'none'; style-src 'unsafe-inline'; img-src 'self' data:; font-src 'self' data:; base-uri 'none'; form-action 'none'; frame-ancestors 'none'",
          override: true,
        },
        strictTransportSecurity: { accessControlMaxAge: Duration.days(365), includeSubdomains: true, override: true },
        contentTypeOptions: { override: true },
        frameOptions: { frameOption: HeadersFrameOption.DENY, override: true },
        referrerPolicy: { referrerPolicy: HeadersReferrerPolicy.STRICT_ORIGIN_WHEN_CROSS_ORIGIN, override: true },
      },
    });
    this.siteDistribution = new Distribution(this, "SiteDistribution", {
      comment: "Published PDCA review reports",
      defaultRootObject: "index.html",
      defaultBehavior: {
        origin: S3BucketOrigin.withOriginAccessControl(this.siteBucket, { originPath: `/${SITE_ROOT.slice(0, -1)}` }),
        viewerProtocolPolicy: ViewerProtocolPolicy.REDIRECT_TO_HTTPS,
        allowedMethods: AllowedMethods.ALLOW_GET_HEAD,
        // Honours each file's Cache-Control: a version's files for a year, the year's page and the index minutes.
        cachePolicy: CachePolicy.CACHING_OPTIMIZED,
        responseHeadersPolicy: headers,
        compress: true,
      },
      httpVersion: HttpVersion.HTTP2_AND_3,
      // Edge locations in Japan are in every class but the cheapest.
      priceClass: PriceClass.PRICE_CLASS_200,
      enableLogging: true,
      logBucket: this.siteLogsBucket,
      logFilePrefix: "cloudfront/",
    });
    this.siteUrl = `https://${this.siteDistribution.distributionDomainName}`;
    new CfnOutput(this, "SiteUrl", { value: this.siteUrl, description: "The published reports (the CDN's address)" });
    new CfnOutput(this, "SiteBucketName", {
      value: this.siteBucket.bucketName,
      description: `The published site's files, under ${SITE_ROOT}`,
    });
  }
}
