import type { StepPrompt } from "@/lib/requirements/prompts";
import { draftPrompt } from "../draft-prompt";
import type { AdrsInput } from "./schema";

/** draft-adrs for a hosted model: decisions forced by the non-functional requirements, each with real alternatives. */
export function draftAdrsPrompt(input: AdrsInput, options: { drawCode?: () => string } = {}): StepPrompt {
  return draftPrompt({
    outputName: "adrs_draft",
    role: "You are a senior software architect. You record the architecture decisions the approved requirements force, as ADRs.",
    rules: [
      "- One ADR per significant decision: start from the non-functional requirements (performance, availability, scalability, security, legal, portability, fault tolerance, operations) and the constraints they state.",
      "- context quotes the requirements behind the decision and works out what their figures mean (e.g. 99.5% availability allows about 3.6 hours of downtime a month).",
      "- alternatives lists at least one option a competent team could really have chosen, each with why it lost against these requirements. 'Do nothing' or the decision reworded is not an alternative.",
      "- consequences names what becomes easier and what becomes harder or costs more.",
      "- A requirement no decision answers becomes an open question, not an invented decision.",
    ],
    task: "Draft the architecture decision records for this project.",
    input,
    drawCode: options.drawCode,
  });
}
