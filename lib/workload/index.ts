// k6-llm/workload: what traffic to send and when. Prompt corpora and pickers, synthetic
// prompts, think time, scenario presets and reading a step-up test.
export { loadCorpus, readCorpus } from './corpus';
export type { CorpusSource, LoadCorpusOptions } from './corpus';
export type { CorpusRow, CorpusIssue, ParsedCorpus } from './corpus-row';
export { parseJSONL } from './jsonl-corpus';
export { parseCSV, parseCSVRecords } from './csv-corpus';
export { parseShareGPT } from './sharegpt-corpus';
export { parseCorpus, parseJSONArray, detectFormat, formatIssues } from './corpus-format';
export type { CorpusFormat } from './corpus-format';
export { sequential, random, weighted } from './pickers';
export type { Picker } from './pickers';
export { toRequest } from './chat-request';
export { syntheticPrompt } from './synthetic-prompt';
export { composeSyntheticPrompt } from './prompt-composer';
export type { SyntheticPromptOptions, PromptPosition } from './prompt-composer';
export { thinkTime } from './think-distributions';
export type { ThinkTime } from './think-distributions';
export { think } from './think';
export { presets } from './presets';
export type { Duration, Scenarios, ScenarioCommon } from './presets';
export { stepUpThresholds, stepReadings, findBreakingStep } from './breaking-step';
export type { StepRule, StepReading, BreakingStep, SummaryData } from './breaking-step';
export { hashSeed, seededRandom } from './seeded-random';
export type { RandomSource } from './seeded-random';
