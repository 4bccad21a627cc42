/**
 * The years whose national holidays domain/business-days.ts bundles, on their own: the plan schema checks a plan's
 * period against them in every function that reads a plan, and importing them from business-days.ts would bundle
 * its holiday tables (~56 KB) into every one of those functions too.
 */
export const HOLIDAY_YEARS = { first: 2017, last: 2040 } as const;
