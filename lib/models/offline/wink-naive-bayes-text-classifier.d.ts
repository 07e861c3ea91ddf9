/** The part of wink-naive-bayes-text-classifier 2.x that category-model.ts uses; the package ships no types. */
declare module "wink-naive-bayes-text-classifier" {
  type NaiveBayesTextClassifier = {
    defineConfig(config: { considerOnlyPresence?: boolean; smoothingFactor?: number }): boolean;
    /** Without prep tasks (none are defined here) the input is taken as tokens as they are. */
    learn(tokens: string[], label: string): boolean;
    consolidate(): boolean;
    /** log2 odds of each label against the rest, best first; [["unknown", 0]] when no token is known */
    computeOdds(tokens: string[]): [string, number][];
    exportJSON(): string;
    importJSON(json: string): boolean;
  };
  const createClassifier: () => NaiveBayesTextClassifier;
  export default createClassifier;
}
