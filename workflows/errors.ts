/**
 * Errors a workflow must not retry: the input is wrong and will stay wrong. The names are the domain's error
 * classes (kept through bundling: infra/bundling.ts sets keepNames).
 */
export const PERMANENT_ERRORS = ["InvalidInputError", "NotFoundError", "ReviewInputError"];
