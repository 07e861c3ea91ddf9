import conversation from "./lexicon/conversation.json";
import labels from "./lexicon/labels.json";
import matching from "./lexicon/matching.json";
import people from "./lexicon/people.json";
import wording from "./lexicon/wording.json";

/**
 * Word lists shared by the rules, kept as data in lexicon/*.json so tuning the drafter means
 * editing data, not code. Everything is lower case; multi-word entries are matched against a
 * clause's words in order.
 */

/** People who act in requirements. compromise misses many role nouns (it reads "nurse" as a verb). */
export const PERSON_NOUNS = new Set(people.personNouns);

/** Kinds of organisation a project may be run by; "we" in a note usually means its staff. */
export const ORGANISATION_NOUNS: readonly string[] = people.organisationNouns;

/** Words that soften a statement into a wish; a hedged statement is kept, with low confidence. */
export const HEDGES: readonly string[] = wording.hedges;

/** Hedge words that, after a comma, start a tail added as an afterthought: "..., and maybe an email too". */
export const HEDGED_TAIL_STARTERS = new Set(wording.hedgedTailStarters);

/** Words a tester cannot verify. */
export const VAGUE_WORDS: readonly string[] = wording.vagueWords;

/** Markers of how things are today: context for a requirement, not a requirement itself. */
export const CURRENT_STATE_MARKERS: readonly string[] = wording.currentStateMarkers;
/** "A lot of the managers never read their email": a subject counting part of a group describes what people do. */
export const PARTIAL_QUANTIFIERS: readonly string[] = wording.partialQuantifiers;
/** "see which branches have a copy right now": after these, a marker of today closes a state to be shown live. */
export const LIVE_STATE_VERBS: readonly string[] = wording.liveStateVerbs;
/** "That's happened with the diary, ...": a sentence opening with one tells what went wrong once, not what is wanted. */
export const INCIDENT_REPORTS: readonly string[] = wording.incidentReports;
/** "... \"Mr Evans didn't eat his lunch\", that sort of thing": words that mark what was quoted before them as an example. */
export const EXAMPLE_TAILS: readonly string[] = wording.exampleTails;

/** Markers of manual work the speaker does now ("I have to call every patient by hand"). */
export const MANUAL_WORK_MARKERS: readonly string[] = wording.manualWorkMarkers;

/** Markers of an estimate, which describes the situation rather than fixing a target. */
export const ESTIMATE_MARKERS: readonly string[] = wording.estimateMarkers;

/** A point the source leaves open. */
export const DISCUSSION_MARKERS: readonly string[] = wording.discussionMarkers;

/** "I don't know yet" in an answer leaves the interviewer's question open. */
export const UNDECIDED_ANSWERS: readonly string[] = wording.undecidedAnswers;

/** Adverbs of frequency dropped when a sentence becomes a noun phrase ("patients often arrive late" -> "patients who arrive late"). */
export const FREQUENCY_ADVERBS = new Set(wording.frequencyAdverbs);
/** "People forget it all the time": how often something happens now says how things are. */
export const HABITS_OF_TODAY: readonly string[] = wording.habitsOfToday;

/** Labels in front of a colon that mark metadata lines, skipped entirely. */
export const METADATA_LABELS = new Set(labels.metadata);
export const INTERVIEWER_LABELS = new Set(labels.interviewer);
export const ANSWER_LABELS = new Set(labels.answer);
export const OPEN_QUESTION_LABELS = new Set(labels.openQuestion);
/** Process notes of a meeting, not statements about the product. */
export const PROCESS_LABELS = new Set(labels.process);
/** Sections a meeting tool writes above its transcript ("Summary", "Action items"): its words, nobody's. */
export const GENERATED_SECTIONS: readonly string[] = labels.generatedSections;
/** The heading under which such a tool puts what was said. */
export const TRANSCRIPT_HEADINGS: readonly string[] = labels.transcriptHeadings;
/** "Decision: reminder text 48 hours before": a label that notes what follows its colon as decided; no speaker's name. */
export const DECISION_LABELS: readonly string[] = labels.decision;
/** Speaker labels meaning everybody present, which makes a statement a consensus. */
export const CONSENSUS_LABELS = new Set(labels.consensus);

/** Nouns of things sent to people: "we need a reminder SMS" means the system must send one. */
export const MESSAGE_NOUNS = new Set(matching.messageNouns);

/** Lemmas that say nothing about what a requirement is about, ignored when comparing requirements. */
export const GENERIC_LEMMAS = new Set(matching.genericLemmas);

/** Words between a number and its unit that keep the unit: "ten working days", "three clear days". */
export const UNIT_MODIFIERS = new Set(matching.unitModifiers);
/** Words that mean the same thing for the purpose of matching requirements. */
export const SYNONYMS = new Map(Object.entries(matching.synonyms));

/** Fillers that carry nothing wherever they stand: "um", "actually", "basically". */
export const FILLERS_ANYWHERE: readonly string[] = conversation.fillersAnywhere;
/** Words that open a turn and carry nothing when a comma follows them: "Well,", "Right,", "Like,". */
export const FILLERS_OPENING: readonly string[] = conversation.fillersOpening;
/** Openers that carry nothing even without a comma: "So every return ...", "Okay so the menu ...". */
export const FILLERS_INTERJECTIONS: readonly string[] = conversation.fillersInterjections;
/** Asides that carry nothing when set off by commas: ", you know,", ", I think." */
export const FILLERS_PARENTHETICAL: readonly string[] = conversation.fillersParenthetical;
/** Asides that carry nothing when they open a clause: "I think they should ...". */
export const FILLERS_OPENING_CLAUSE: readonly string[] = conversation.fillersOpeningClause;
/** Openers of a self-correction: "No wait, sorry, until 8:30." */
export const CORRECTION_MARKERS: readonly string[] = conversation.corrections;
/** Text addressed to AI tools rather than written by a stakeholder: an injected instruction, never a requirement. */
export const INSTRUCTIONS_TO_TOOLS: readonly string[] = conversation.instructionsToTools;
/** Words of a passage that challenges a figure said before: "Actually, the board said seven", "I thought it was 9:30". */
export const OBJECTION_MARKERS: readonly string[] = conversation.objections;
/** "The desk has to sign them off too": words that give something to one more role. */
export const EXTENSION_MARKERS: readonly string[] = conversation.extensionMarkers;
/** Words that leave a disagreement open after it is voiced: "we'll check", "I'll put that down as open", "let's park it". */
export const OPEN_MARKERS: readonly string[] = conversation.openMarkers;
/** The talk of a meeting about itself: screens, breaks, the agenda, leaving. Never a requirement. */
export const MEETING_TALK: readonly string[] = conversation.meetingTalk;
/** Small talk in a conversation: coffee, the weekend, the weather. */
export const SMALL_TALK: readonly string[] = conversation.smallTalk;
/** Labels that put what follows their colon on a wish list: "A nice-to-have, if there's room in the budget: a screen ...". */
export const WISH_LABELS: readonly string[] = conversation.wishLabels;
/** Lines that open a list of things people ask for: "Here is what the front desk asked for:", "What we need:". */
export const LIST_REQUEST_INTROS: readonly string[] = conversation.listRequestIntros;
/** Hedges that open a thing suggested without a verb: "possibly a screen in the driver's lounge". */
export const SUGGESTION_OPENERS = new Set(conversation.suggestionOpeners);
/** What people in a meeting arrange for themselves ("maybe a short call with finance"), never a thing for the product. */
export const MEETING_NOUNS: readonly string[] = conversation.meetingNouns;
/** Thanks, greetings and back-channel words that make up a turn of their own. */
export const COURTESY = new Set(conversation.courtesy);
/** "Don't forget the minutes", "Don't worry about it": orders to the people present, never to the product. */
export const PERSONAL_ORDER_VERBS = new Set(conversation.personalOrderVerbs);
/** "Ignore Kai's cousin", "Trust Maria on that": what to make of a person named, advice to the people present. */
export const ATTENTION_VERBS = new Set(conversation.attentionVerbs);
/** "Nothing goes in the diary until ...", "Nobody under eighteen": who or what acts, said as none. */
export const NOTHING_AND_NOBODY = new Set(conversation.nothingAndNobody);
/** "I can't promise that on every phone", "I can't wait": what only the speaker can or cannot do, never a complaint about the product. */
export const SPEAKER_ONLY_VERBS = new Set(conversation.speakerOnlyVerbs);
/** "We need to decide ...": what the people present must do next, not what the product must do. */
export const DELIBERATION_VERBS = new Set(conversation.deliberationVerbs);
/** "We need to check that with legal": a follow-up task when its object is a pronoun or a "with"/"whether" phrase. */
export const CHECKING_VERBS = new Set(conversation.checkingVerbs);
/** "X is a must", "X is mandatory": a requirement stated as a property of the thing. */
export const NECESSITY_PHRASES: readonly string[] = conversation.necessityPhrases;
/** "It's essential that ...", "I'm keen that ...": the that-clause after one of these is required. */
export const INSISTENCE_WORDS = new Set(conversation.insistenceWords);
/** "the idea is that ...": what the people talking mean the product to do */
export const INTENTION_NOUNS = new Set(conversation.intentionNouns);

/** "Fine, a degree and a half.": words that give way to an objection before a revised figure. */
export const CONCESSIONS: readonly string[] = conversation.concessions;
/** "As long as someone checks them, fine.": words that accept what was just proposed on a condition. */
export const CONDITIONAL_ACCEPTANCES: readonly string[] = conversation.conditionalAcceptances;
/** "And a photo of the dial.": words that open a turn adding to what was just said. */
export const ADDITION_OPENERS: readonly string[] = conversation.additionOpeners;
/** "Tomorrow, then.": when the people talking meet or act next, which a day of the week names too. */
export const MEETING_TIMES: readonly string[] = conversation.meetingTimes;
/** "So what you're saying is ...?": words with which someone restates what they heard, to have it confirmed. */
export const RESTATEMENT_LEADS: readonly string[] = conversation.restatementLeads;
/** "Who should see the records? I'm thinking about the owners' addresses.": a sentence after a question saying what the asker has in mind. */
export const ELABORATION_OPENERS: readonly string[] = conversation.elaborationOpeners;
/** "So we'll go with a reminder that morning": what follows is what the meeting settles on. */
export const SETTLING_PHRASES: readonly string[] = conversation.settlingPhrases;
/** "What would good look like?": a question whose answer describes, in the present tense, how things should be. */
export const DESIRED_STATE_QUESTIONS: readonly string[] = conversation.desiredStateQuestions;
/** "would be nice", "that would be great": how welcome a thing is said to be. */
export const WELCOMING_WORDS = new Set(conversation.welcomingWords);
/** The people talking as the object of a verb ("the ward sisters ring us", "the controller and me"). */
export const SPEAKERS_AS_OBJECTS = new Set(conversation.speakersAsObjects);
/** "Can you say that again?": a question that asks for the last turn once more, not about anything in it. */
export const REPEAT_REQUESTS: readonly string[] = conversation.repeatRequests;

/** How a turn answers the question right before it: yes and no, the question's auxiliaries and what each wh-word asks for. */
export const ANSWER_WORDS = {
  affirmative: conversation.answers.affirmative,
  negative: conversation.answers.negative,
  adverbsAfterModal: new Set(conversation.answers.adverbsAfterModal),
  /** "Has to.", "It must.": a whole answer that says yes, and that it is needed */
  emphaticYes: conversation.answers.emphaticYes,
  /** "We ask for three working days.": words before a figure answering "how much ...?" that only say it is asked for */
  askingForFigure: conversation.answers.askingForFigure,
  /** "We need about forty.": words that may stand between those and the figure */
  approximations: conversation.answers.approximations,
  /** "The manager, nobody else.": words closing an answer to "who ...?" that say the people named are the only ones */
  exclusiveTails: conversation.answers.exclusiveTails,
  /** "must", "able" (can, could: "must be able to") or "be" (is, are) */
  auxiliaries: new Map(Object.entries(conversation.answers.auxiliaries)),
  /** longest first, so "how long" is found before "how" */
  slots: [...conversation.answers.slots].sort((a, b) => b.words.split(" ").length - a.words.split(" ").length),
  askingAboutThePerson: new Set(conversation.answers.askingAboutThePerson),
  clockWords: new Set(conversation.answers.clockWords),
  clauseAfterComma: new Set(conversation.answers.clauseAfterComma),
  /** "so", "and": start a clause only when a verb follows ("a whole lunch service, so, three hours" goes on) */
  clauseAfterCommaWithVerb: new Set(conversation.answers.clauseAfterCommaWithVerb),
  /** "A second, tops.": words of a limit that compromise may tag as verbs */
  limitWords: new Set(conversation.answers.limitWords),
  /** "Ten, then.", "..., please": words after the fragment that add nothing to it */
  trailing: conversation.answers.trailing,
  /** "And how ...", "So when ...": words before a question that ask nothing */
  questionOpeners: new Set(conversation.answers.questionOpeners),
  /** "Any rules on X-rays?", "Anything about the booking page?": the topic follows these words */
  topicPrepositions: new Set(conversation.answers.topicPrepositions),
  topicOpeners: new Set(conversation.answers.topicOpeners),
  /** "Is there anything you don't want?" asks for a list, not for a figure */
  indefinites: new Set(conversation.answers.indefinites),
};

/** "make it ten", "make that eight": what a correction changes a figure to follows these words. */
export const CORRECTION_VALUES: readonly string[] = conversation.correctionValues;
/** "sign them off too", "need it too": words that point back to what was just said. */
export const POINTING_BACK = new Set(conversation.pointingBack);

/** Who sets rules a project must follow: what they are reported to require is a constraint, not how things are today. */
export const RULE_SETTERS: readonly string[] = wording.ruleSetters;

/** Verbs (by root) that report what people said they do: "seventy percent said they never changed it" is a finding. */
export const REPORTED_SPEECH_VERBS = new Set(wording.reportedSpeechVerbs);

/** Verbs that report such a rule: "the regulations say we keep it two years", "our insurer requires that ...". */
export const RULE_REPORTING_VERBS = new Set(wording.ruleReportingVerbs);

/** What a transcript notes in brackets instead of words: "[laughs]", "(inaudible)", "[crosstalk]". Never speech. */
export const NON_SPEECH_NOTES: readonly string[] = conversation.nonSpeechNotes;
