import {
  type AttributeDefinition,
  CreateTableCommand,
  DescribeTableCommand,
  type DynamoDBClient,
  type GlobalSecondaryIndex,
  type KeySchemaElement,
  ResourceNotFoundException,
} from "@aws-sdk/client-dynamodb";
import { BucketAlreadyOwnedByYou, CreateBucketCommand, type S3Client } from "@aws-sdk/client-s3";
import { physicalName, type TemplateResolver } from "./template.ts";

interface TableProperties {
  KeySchema: KeySchemaElement[];
  AttributeDefinitions: AttributeDefinition[];
  GlobalSecondaryIndexes?: Array<{
    IndexName: string;
    KeySchema: KeySchemaElement[];
    Projection: GlobalSecondaryIndex["Projection"];
  }>;
}

/**
 * Creates on the local engines every table and bucket the template declares, keys and indexes as declared;
 * what exists already (a restart) is kept as it is.
 */
export async function provisionResources(input: {
  resolver: TemplateResolver;
  prefix: string;
  dynamodb: DynamoDBClient;
  s3?: S3Client;
}): Promise<{ tables: Record<string, string>; buckets: Record<string, string> }> {
  const tables: Record<string, string> = {};
  const buckets: Record<string, string> = {};
  const declared = [
    ...input.resolver.resourcesOfType("AWS::DynamoDB::GlobalTable"),
    ...input.resolver.resourcesOfType("AWS::DynamoDB::Table"),
  ];
  for (const table of declared) {
    const properties = table.properties as unknown as TableProperties;
    const TableName = physicalName({ prefix: input.prefix }, table.stack, table.logicalId, "AWS::DynamoDB::Table");
    tables[table.logicalId] = TableName;
    try {
      await input.dynamodb.send(new DescribeTableCommand({ TableName }));
      continue;
    } catch (error) {
      if (!(error instanceof ResourceNotFoundException)) throw error;
    }
    await input.dynamodb.send(
      new CreateTableCommand({
        TableName,
        BillingMode: "PAY_PER_REQUEST",
        KeySchema: properties.KeySchema,
        AttributeDefinitions: properties.AttributeDefinitions,
        GlobalSecondaryIndexes: properties.GlobalSecondaryIndexes?.map((index) => ({
          IndexName: index.IndexName,
          KeySchema: index.KeySchema,
          Projection: index.Projection ?? { ProjectionType: "ALL" },
        })),
      }),
    );
  }
  if (input.s3)
    for (const bucket of input.resolver.resourcesOfType("AWS::S3::Bucket")) {
      const Bucket = physicalName({ prefix: input.prefix }, bucket.stack, bucket.logicalId, "AWS::S3::Bucket");
      buckets[bucket.logicalId] = Bucket;
      try {
        await input.s3.send(new CreateBucketCommand({ Bucket }));
      } catch (error) {
        if (!(error instanceof BucketAlreadyOwnedByYou) && (error as Error).name !== "BucketAlreadyExists") throw error;
      }
    }
  return { tables, buckets };
}
