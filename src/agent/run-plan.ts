import { filesFound } from "../core/types/files-found.js";
import { createResponse, type Response } from "../core/types/response.js";
import type { PlannedStep } from "../intent/parse-request.js";
import { nobodyAsked } from "./pipeline-seams.js";

export interface RunPlanOptions {
  steps: readonly PlannedStep[];
  /** Whether a step's handler only reads; undefined when no enabled plugin handles it. */
  isReadOnly(step: PlannedStep): boolean | undefined;
  /** Asks once, showing every step; only then do changing steps run. */
  approve(lines: readonly string[]): Promise<{ approved: boolean; via: string }>;
  /** Runs one step through the pipeline with these arguments. */
  runStep(step: PlannedStep, args: Record<string, unknown>): Promise<Response>;
}

/** One line a person reads for a step: the tool and its arguments. */
export function describeStep(step: PlannedStep, index: number): string {
  const args = Object.entries(step.slots)
    .map(([key, value]) => `${key} ${Array.isArray(value) ? value.join(",") : String(value)}`)
    .join("; ");
  const uses = step.uses === undefined ? "" : ` (on what step ${step.uses + 1} finds)`;
  return `${index + 1}. ${step.intent}${args === "" ? "" : `: ${args}`}${uses}`;
}

/**
 * Runs a chained request ("find pdfs in Downloads and move them to Documents") as one plan:
 * shown whole and approved once when any step changes something, run in order, each later step
 * that refers back acting on exactly the files the earlier one found, stopping at the first failure.
 */
export async function runPlan(options: RunPlanOptions): Promise<Response> {
  const { steps } = options;
  const lines = steps.map(describeStep);
  const missing = steps.find((step) => options.isReadOnly(step) === undefined);
  if (missing !== undefined) {
    return createResponse({
      success: false,
      message: `I understood the plan, but no enabled plugin handles "${missing.intent}":\n${lines.join("\n")}`,
      data: { plan: lines },
    });
  }
  const changes = steps.some((step) => options.isReadOnly(step) === false);
  const answer = changes ? await options.approve(lines) : undefined;
  if (answer !== undefined && !answer.approved) {
    const unasked = nobodyAsked(answer.via);
    return createResponse({
      success: false,
      message: `Not done: the plan was not approved${unasked === undefined ? "" : ` (${unasked})`}.\n${lines.join("\n")}`,
      data: { plan: lines },
    });
  }
  const results: Response[] = [];
  const messages: string[] = [];
  for (const [index, step] of steps.entries()) {
    let args = { ...step.slots };
    if (step.uses !== undefined) {
      const found = filesFound(results[step.uses]?.data);
      if (found.length === 0) {
        messages.push(`${index + 1}. Nothing to do: step ${step.uses + 1} found no files.`);
        break;
      }
      args = { ...args, files: found };
    }
    const response = await options.runStep(step, args);
    results.push(response);
    messages.push(`${index + 1}. ${response.message}`);
    if (!response.success) break;
  }
  const success = results.length === steps.length && results.every((response) => response.success);
  return createResponse({
    success,
    message: messages.join("\n"),
    data: {
      plan: lines,
      steps: results.map((response, index) => ({
        intent: steps[index]?.intent,
        success: response.success,
        message: response.message,
        data: response.data,
      })),
    },
  });
}
