import { DynamoDBClient } from "@aws-sdk/client-dynamodb";
import { DynamoDBDocumentClient } from "@aws-sdk/lib-dynamodb";

// One client per service per container, each in its own module so a bundle holds only the SDKs its handler uses.
// Endpoints come from the standard AWS_ENDPOINT_URL_<SERVICE> variables: that is how the local stack and the
// tests point these same clients at local engines.

/** The DynamoDB document client shared by a container's adapters. */
export const documentClient = DynamoDBDocumentClient.from(new DynamoDBClient({}), {
  marshallOptions: { removeUndefinedValues: true },
});
