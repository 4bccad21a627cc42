// Credentials for the local engines only: the SDK needs some, and no AWS account is ever reached from the tests.
process.env.AWS_REGION ??= "ap-northeast-1";
process.env.AWS_ACCESS_KEY_ID ??= "local";
process.env.AWS_SECRET_ACCESS_KEY ??= "local";
process.env.POWERTOOLS_LOG_LEVEL ??= "WARN";
