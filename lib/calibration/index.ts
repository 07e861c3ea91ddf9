export { clopperPearsonUpper, decisionsNeeded, minimumSupport, MAX_DECISIONS_NEEDED } from "./bounds";
export { fitIsotonic, isotonicModelSchema, poolAdjacentViolators, predictIsotonic, type IsotonicBlock, type IsotonicModel, type IsotonicPoint } from "./isotonic";
export { expectedCalibrationError, reliabilityBins, type ProbabilityOutcome, type ReliabilityBin } from "./reliability";
export {
  calibratedProbability,
  calibrationModelDataSchema,
  fitCalibration,
  type CalibrationFeatures,
  type CalibrationModelData,
  type CalibrationOptions,
  type CalibrationSample,
  type CalibrationStratum,
} from "./model";
export { autoApprovalThreshold, mayAutoApprove, testableSupport, withinCategory, type ThresholdResult } from "./threshold";
