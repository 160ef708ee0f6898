import { ProcessingError } from "../core/errors/processing-error.js";
import type { Intent } from "../core/types/intent.js";
import type { Response } from "../core/types/response.js";
import type { PlannedStep } from "../intent/parse-request.js";
import type { PluginRegistry } from "../plugins/plugin-registry.js";
import { stringsIn } from "./argument-strings.js";
import type { ExecutionScope } from "./execution-scope.js";
import { approvedByPlan } from "./plan-approval.js";
import { runPlan } from "./run-plan.js";
import type { ToolPipeline } from "./tool-pipeline.js";

/** A chained request: shown whole and approved once, then each step through the pipeline. */
export async function runPlannedRequest(options: {
  steps: PlannedStep[];
  intent: Intent;
  scope: ExecutionScope;
  pipeline: ToolPipeline;
  registry: PluginRegistry;
}): Promise<Response> {
  const { steps, intent, scope, pipeline, registry } = options;
  const stepIntent = (step: PlannedStep, args: Record<string, unknown>): Intent => ({
    ...intent,
    type: step.intent,
    confidence: step.confidence,
    entities: args,
    context: { ...intent.context, plan: undefined },
  });
  const handlerFor = (step: PlannedStep) => registry.findHandlers(stepIntent(step, step.slots))[0];
  let approved = false;
  const stepScope: ExecutionScope = { ...scope, confirm: approvedByPlan(scope.confirm, () => approved) };
  const used = new Set(steps.flatMap((step) => (step.uses === undefined ? [] : [step.uses])));
  return runPlan({
    steps,
    isReadOnly: (step) => handlerFor(step)?.handler.readOnly,
    approve: async (lines) => {
      const paths = steps.flatMap((step) => stringsIn(step.slots, handlerFor(step)?.handler.pathArgs ?? []));
      const answer = await pipeline.confirmPlan(scope, lines, paths);
      approved = answer.approved;
      return answer;
    },
    runStep: async (step, args) => {
      const match = handlerFor(step);
      if (match === undefined) throw new ProcessingError(`No enabled plugin handles "${step.intent}"`, { code: "NO_HANDLER" });
      const index = steps.indexOf(step);
      const widened =
        used.has(index) && step.intent === "files.search" && args.limit === undefined ? { ...args, limit: 10_000 } : args;
      let streamed = false;
      const emit: ExecutionScope["emit"] = (event) => {
        if (event.type === "text_delta") streamed = true;
        stepScope.emit(event);
      };
      const response = await pipeline.run(match, stepIntent(step, widened), { ...stepScope, emit });
      if (!streamed) stepScope.emit({ type: "text_delta", delta: `${index + 1}. ${response.message}\n` });
      return response;
    },
  });
}
