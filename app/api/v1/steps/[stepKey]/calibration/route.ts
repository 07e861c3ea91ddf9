import { handle } from "@/lib/api/handler";
import { endpoints } from "@/lib/api/schemas";
import { getStepCalibration, refitStepCalibration } from "@/lib/learning/service";

export const GET = handle(endpoints.getStepCalibration, ({ actor, params }) => getStepCalibration(actor, params.stepKey));
export const POST = handle(endpoints.refitStepCalibration, ({ actor, params }) => refitStepCalibration(actor, params.stepKey));

export * from "@/lib/api/other-methods";
