import { SFNClient } from "@aws-sdk/client-sfn";

/** The Step Functions client shared by a container's adapters (endpoint from AWS_ENDPOINT_URL_SFN where set). */
export const sfnClient = new SFNClient({});
