// Runs the arrival-rate scenarios of arrival-scenarios.ts with empty iterations, so nothing but k6's
// own schedule decides how many start. A no-op threshold per scenario makes k6 keep
// `iterations{scenario:<name>}` in the summary.
import { ARRIVAL_SCENARIOS } from './arrival-scenarios';

const thresholds: Record<string, string[]> = {};
for (const name of Object.keys(ARRIVAL_SCENARIOS)) thresholds[`iterations{scenario:${name}}`] = ['count>=0'];

export const options = { scenarios: ARRIVAL_SCENARIOS, thresholds };

export default function (): void {}
