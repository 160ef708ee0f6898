/** How risky an action is. FORBIDDEN never runs; DANGEROUS needs explicit confirmation; MODERATE is reported. */
export const riskLevels = ["SAFE", "MODERATE", "DANGEROUS", "FORBIDDEN"] as const;

export type RiskLevel = (typeof riskLevels)[number];

/** The higher of two levels. */
export function maxRisk(a: RiskLevel, b: RiskLevel): RiskLevel {
  return riskLevels.indexOf(a) >= riskLevels.indexOf(b) ? a : b;
}
