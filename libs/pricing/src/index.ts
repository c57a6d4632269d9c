export { PriceTable, type PriceEntries, type MapLoadOptions } from './price-table';
export { computeCost } from './cost';
export { effectivePrice, type DeploymentPriceParams } from './deployment';
export {
  CostCalculator,
  type CostCalculatorOptions,
  type CostRequest,
  type CostResult,
  type UnknownPriceWarn,
} from './calculator';
export { picoToDollars, dollarsToPico } from './money';
export { providerFamily } from './provider';
export { KNOWN_GAPS } from './overrides';
export {
  PRICE_FIELDS,
  type CallType,
  type CharacterCounts,
  type CostBreakdown,
  type CostInput,
  type ModelPrice,
  type PriceField,
  type PriceMatch,
  type TokenUsage,
} from './types';
