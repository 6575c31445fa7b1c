package io.popfleet.inventory;

/** An applied import: the plan that was carried out, and the id of its audit record. */
public record ImportResult(ImportPlan plan, int added, int changed, int removed, long auditId) {
}
