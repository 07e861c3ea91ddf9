import { z } from "zod";
import { stageKeySchema } from "@/lib/stages/schema";

export const startRunSchema = z.object({ stage: stageKeySchema });
