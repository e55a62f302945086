import { llmReport, type ReportOptions } from './report';
import type { K6SummaryData } from './summary-data';

/**
 * The report as stable, machine-readable JSON (`schema: "k6-llm.report/1"`): fixed key order,
 * arrays sorted, absent figures left out rather than written as 0 or null. For `llmReport()`'s object, call that.
 */
export function llmJSON(data: K6SummaryData, options: ReportOptions = {}): string {
  return JSON.stringify(llmReport(data, options), null, 2) + '\n';
}
