// Fake of k6/execution with settable counters.
export const state = { vu: { metrics: { tags: {} as Record<string, string> }, idInTest: 1, iterationInScenario: 0, idInInstance: 1, iterationInInstance: 0 }, scenario: { iterationInTest: 0, name: 'default', iterationInInstance: 0 }, instance: { vusActive: 1, vusInitialized: 1 } };
export default { vu: state.vu, scenario: state.scenario, instance: state.instance };
