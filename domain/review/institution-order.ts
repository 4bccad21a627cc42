import type { Plan } from "../plan.ts";

/**
 * The plan's institutions in the plan's order (the lead first, as the plan lists them). Every list of institutions
 * in a review follows it; an institution the plan no longer lists comes after the plan's own, by id.
 */
export class InstitutionOrder {
  private readonly rankOf: Map<string, number>;

  /** Reads the order from the plan once; lookups are then constant time. */
  constructor(private readonly plan: Plan) {
    this.rankOf = new Map(plan.institutions.map((institution, index) => [institution.id, index]));
  }

  /** Whether the plan lists the institution. */
  has(institutionId: string): boolean {
    return this.rankOf.has(institutionId);
  }

  /** The institution's place in the plan; one the plan does not list sorts after all of its own. */
  rank(institutionId: string): number {
    return this.rankOf.get(institutionId) ?? Number.MAX_SAFE_INTEGER;
  }

  /** Plan order, then id: a comparator for `Array.prototype.sort`. */
  compare(a: string, b: string): number {
    const rankA = this.rank(a);
    const rankB = this.rank(b);
    return rankA !== rankB ? rankA - rankB : a < b ? -1 : a > b ? 1 : 0;
  }

  /** The plan's own copy of an id, so that many cases share one string instead of each keeping the input's copy. */
  canonicalId(institutionId: string): string {
    return this.plan.institutions[this.rankOf.get(institutionId) ?? -1]?.id ?? institutionId;
  }

  /** The short name a report shows (道総研); the id when the plan no longer lists the institution. */
  name(institutionId: string): string {
    return this.plan.institutions[this.rankOf.get(institutionId) ?? -1]?.shortName ?? institutionId;
  }
}
