import { SESClient } from "@aws-sdk/client-ses";

/** The SES client shared by a container's adapters (endpoint from AWS_ENDPOINT_URL_SES where set). */
export const sesClient = new SESClient({});
