import type { Plan } from "../plan.ts";
import { reviewFindings } from "../review/findings.ts";
import type { Review } from "../review/types.ts";

/**
 * Who reads a rendering of the report: the secretariat and the approvers, who see every figure and name the review
 * holds, or the public (the published site), who see aggregate figures and only what the plan marks public.
 */
export type Audience = "secretariat" | "public";

/** Whether business names (事業者名) may appear for this audience: always inside, in public only if the plan says so. */
export function showsBusinessNames(plan: Plan, audience: Audience): boolean {
  return audience === "secretariat" || plan.publication.businessNames === "public";
}

/**
 * The review as an audience may read it. For the public of a plan that keeps business names hidden, every case
 * loses its name and the findings are drawn again from the figures without them: a follow-up gap then names the case
 * by its number (letters, digits and hyphens only, so it cannot carry a name), as it does for a case reported with
 * no name. The findings are computed by the same code from the same figures, so only the names differ.
 */
export function reviewForAudience(review: Review, plan: Plan, audience: Audience): Review {
  if (showsBusinessNames(plan, audience)) return review;
  const followUp = {
    ...review.followUp,
    cohorts: review.followUp.cohorts.map((cohort) => ({
      ...cohort,
      missed: cohort.missed.map((missed) => ({ ...missed, businessName: null })),
    })),
  };
  const redacted = { ...review, followUp };
  return { ...redacted, findings: reviewFindings(plan, review.fiscalYear, redacted) };
}
