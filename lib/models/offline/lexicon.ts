/**
 * Word lists shared by the rules, so tuning the drafter mostly means editing data, not code.
 * Everything is lower case; multi-word entries are matched against a clause's words in order.
 */

/** People who act in requirements. compromise misses many role nouns (it reads "nurse" as a verb). */
export const PERSON_NOUNS = new Set([
  "administrator", "admin", "agent", "auditor", "borrower", "citizen", "clerk", "customer", "cyclist", "director",
  "doctor", "driver", "employee", "guest", "lead", "librarian", "manager", "mechanic", "member", "nurse", "operator",
  "parent", "passenger", "patient", "physician", "reader", "receptionist", "resident", "rider", "staff", "student",
  "supervisor", "teacher", "technician", "user", "visitor", "volunteer",
]);

/** Kinds of organisation a project may be run by; "we" in a note usually means its staff. */
export const ORGANISATION_NOUNS = [
  "clinic", "practice", "hospital", "pharmacy", "library", "bike-share", "museum", "school", "university", "council",
  "bank", "shop", "store", "gym", "hotel", "restaurant", "agency", "company", "club",
];

/** Words that soften a statement into a wish; a hedged statement is kept, with low confidence. */
export const HEDGES = [
  "maybe", "perhaps", "possibly", "probably", "ideally", "preferably", "somehow", "if possible", "where possible",
  "whatever is easier", "whichever is easier", "would be nice", "would be great", "nice to have", "i think", "might",
  "could",
];

/** Hedge words that, after a comma, start a tail added as an afterthought: "..., and maybe an email too". */
export const HEDGED_TAIL_STARTERS = new Set(["maybe", "perhaps", "possibly", "ideally", "preferably", "optionally"]);

/** Words a tester cannot verify. */
export const VAGUE_WORDS = [
  "fast", "faster", "quick", "quickly", "slow", "user-friendly", "user friendly", "easy", "easily", "simple",
  "intuitive", "appropriate", "appropriately", "as needed", "somehow", "reasonable", "reasonably", "adequate",
  "properly", "efficient", "seamless", "seamlessly", "modern", "flexible", "robust", "nice", "good", "better",
];

/** Markers of how things are today: context for a requirement, not a requirement itself. */
export const CURRENT_STATE_MARKERS = ["today", "currently", "at the moment", "right now", "at present", "nowadays", "these days"];

/** Markers of manual work the speaker does now ("I have to call every patient by hand"). */
export const MANUAL_WORK_MARKERS = ["by hand", "manually"];

/** Markers of an estimate, which describes the situation rather than fixing a target. */
export const ESTIMATE_MARKERS = ["about", "around", "roughly", "approximately", "almost", "nearly"];

/** A point the source leaves open. */
export const DISCUSSION_MARKERS = ["let's discuss", "let us discuss", "to be discussed", "to be decided", "tbd", "to discuss"];

/** "I don't know yet" in an answer leaves the interviewer's question open. */
export const UNDECIDED_ANSWERS = ["don't know", "do not know", "not sure", "no idea", "have not decided", "haven't decided", "not decided", "undecided"];

/** Labels in front of a colon that mark metadata lines, skipped entirely. */
export const METADATA_LABELS = new Set([
  "date", "from", "to", "cc", "bcc", "subject", "kind", "sent", "present", "attendees", "participants", "interviewer",
  "location", "re",
]);
export const INTERVIEWER_LABELS = new Set(["q", "interviewer"]);
export const ANSWER_LABELS = new Set(["a", "answer"]);
export const OPEN_QUESTION_LABELS = new Set(["open question", "open questions", "open issue", "open issues", "question", "tbd", "unresolved"]);
/** Process notes of a meeting, not statements about the product. */
export const PROCESS_LABELS = new Set(["action", "action item", "action items", "next step", "next steps", "todo", "to do", "follow-up"]);
/** Speaker labels meaning everybody present, which makes a statement a consensus. */
export const CONSENSUS_LABELS = new Set(["all", "everyone", "everybody", "both", "team", "group"]);

/** Nouns of things sent to people: "we need a reminder SMS" means the system must send one. */
export const MESSAGE_NOUNS = new Set(["reminder", "notification", "sms", "email", "e-mail", "message", "alert", "receipt", "confirmation", "text", "invoice"]);

/** Adverbs of frequency dropped when a sentence becomes a noun phrase ("patients often arrive late" -> "patients who arrive late"). */
export const FREQUENCY_ADVERBS = new Set(["often", "usually", "sometimes", "always", "frequently", "regularly", "occasionally", "typically"]);

/** Lemmas that say nothing about what a requirement is about, ignored when comparing requirements. */
export const GENERIC_LEMMAS = new Set([
  "system", "app", "application", "tool", "must", "should", "shall", "need", "want", "able", "be", "have", "do", "get",
  "make", "way", "thing", "it", "they", "we", "i", "us", "our", "their", "them", "this", "that", "also", "all", "any",
  "every", "each", "too", "not", "never", "only", "just", "really", "very", "can", "will", "would", "a", "an", "the",
  "of", "to", "in", "on", "at", "for", "by", "with", "without", "and", "or", "but", "so", "because", "staff",
]);

/** Words that mean the same thing for the purpose of matching requirements. */
export const SYNONYMS = new Map([
  ["phone", "call"],
  ["telephone", "call"],
  ["calling", "call"],
  ["text", "sms"],
  ["e-mail", "email"],
  ["cancellation", "cancel"],
  ["booking", "book"],
  ["reservation", "book"],
  ["reserve", "book"],
  ["refunds", "refund"],
  ["receive", "send"],
]);
