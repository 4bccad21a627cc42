/** A refusal or a mistake the person can act on: its message is printed in plain words, with no stack trace. */
export class UsageError extends Error {}
