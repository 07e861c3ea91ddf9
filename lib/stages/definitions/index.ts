import type { StageDefinition } from "../definition";
import { codingStage } from "./coding";
import { deploymentStage } from "./deployment";
import { designStage } from "./design";
import { operationsStage } from "./operations";
import { planningStage } from "./planning";
import { requirementsStage } from "./requirements";
import { testingStage } from "./testing";

/** Every stage that drafts, in lifecycle order. Adding a stage is adding its definition here. */
export const stageDefinitions: readonly StageDefinition[] = [requirementsStage, planningStage, designStage, codingStage, testingStage, deploymentStage, operationsStage];
