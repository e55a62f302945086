// Pure cost arithmetic, price table, projections and the pre-flight estimate: no k6 import.
export { cacheHitRatio, costBreakdown, costOf, type CostBreakdown } from './cost';
export {
  estimateRunCost,
  type RunEstimate,
  type RunEstimateInput,
  type ScenarioEstimate,
  type ScenarioShape,
  type StageShape,
} from './estimate';
export { parseK6Duration } from '../internal/durations';
export { normalizePrice, ratesFor, type Price, type PriceTier, type Rates } from './price';
export {
  createPriceTable,
  priceFor,
  resolveModel,
  type PriceEntries,
  type PriceTable,
  type PriceTableOptions,
} from './price-table';
export { BUILT_IN_PRICES, type PriceEntry } from './built-in-prices';
export { DAYS_PER_MONTH, projectCost, type CostObservation, type CostProjection } from './projection';
