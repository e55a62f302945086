// Fake of k6/execution with settable counters.
export const state = { vu: { metrics: { tags: {} as Record<string, string> }, idInTest: 1, iterationInScenario: 0, idInInstance: 1, iterationInInstance: 0 }, scenario: { iterationInTest: 0, name: 'default', iterationInInstance: 0 }, instance: { vusActive: 1, vusInitialized: 1, iterationsCompleted: 0, iterationsInterrupted: 0 } };
/** Messages the script aborted the test with (`exec.test.abort`). */
export const aborted: string[] = [];
const test = {
  abort(message?: string): void {
    aborted.push(message ?? '');
  },
};
export default { vu: state.vu, scenario: state.scenario, instance: state.instance, test };
