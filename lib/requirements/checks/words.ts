import { z } from "zod";
import faithfulnessJson from "./faithfulness-words.json";
import injectionJson from "./injection-words.json";
import statementJson from "./statement-words.json";
import storyJson from "./story-words.json";

/**
 * The checks' word lists live in JSON next to this file, so a reviewer can add a filler or a
 * synonym without reading code. They are validated once at load: a typo fails fast, at import.
 */
const words = z.array(z.string().min(1));
/** A filler that is also an ordinary word elsewhere: "kind of" after "any" is not one, "well," only opens a clause. */
const phraseWithGuard = z.object({ phrase: z.string().min(1), notAfter: words.default([]), clauseStart: z.boolean().default(false) });

export const statementWords = z
  .object({
    obligations: words,
    obligationPhrases: words,
    fillers: z.array(z.union([z.string().min(1), phraseWithGuard])),
    firstPersonSingular: words,
    sentenceStarters: words,
    fragmentEnders: words,
    strandablePrepositions: words,
    temporalAdverbs: words,
    questionWords: words,
    /** "must nothing go": who acts, when it is nobody, is never part of what must be done. */
    negativeActors: words,
    /** Spoken asides that close a sentence after a comma (", though."): the speaker's voice, not the requirement's. */
    closingFillers: words,
    markup: z.array(z.object({ name: z.string(), pattern: z.string() })),
    brackets: z.array(z.tuple([z.string(), z.string()])),
  })
  .parse(statementJson);

export const faithfulnessWords = z
  .object({
    scaffolding: words,
    speakerWords: words,
    negatingSubjects: words,
    organisationWords: words,
    synonyms: z.array(words),
    opposites: z.array(words),
    problemCues: words,
    quoteObligationCues: words,
    negations: words,
    units: words,
    bounds: words,
    orderBounds: words,
    numberWords: z.record(z.string(), z.number()),
    roles: words,
    indefiniteActors: words,
  })
  .parse(faithfulnessJson);

export const injectionWords = z
  .object({
    directives: words,
    processingVerbs: words,
    processingObjects: words,
    selfReferences: words,
    machineActors: words,
    automaticAdverbs: words,
    confusables: z.record(z.string().length(1), z.string().length(1)),
  })
  .parse(injectionJson);

export const storyWords = z
  .object({
    pronounRoles: words,
    objectPronouns: words,
    placeholders: words,
    vagueOutcomes: words,
    emptyBenefits: words,
    storyScaffolding: words,
    abilityWords: words,
  })
  .parse(storyJson);
