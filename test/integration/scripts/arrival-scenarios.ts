// Short arrival-rate scenarios whose iteration counts `estimateRunCost` must bound: shared by the k6
// script that runs them (arrival-count.ts) and the test that compares (arrival-count.test.ts).
export const ARRIVAL_SCENARIOS = {
  // One at 0 s and one every 250 ms; the one due at 1 s races the end.
  car_4_per_s_1s: { executor: 'constant-arrival-rate', rate: 4, timeUnit: '1s', duration: '1s', preAllocatedVUs: 3 },
  // The case: 12 or 13.
  car_4_per_s_3s: { executor: 'constant-arrival-rate', rate: 4, timeUnit: '1s', duration: '3s', preAllocatedVUs: 3 },
  // A period k6 cuts to 333,333,333 ns puts a 7th start at 1.999999998 s, 2 ns before the end: 7 at most.
  car_3_per_s_2s: { executor: 'constant-arrival-rate', rate: 3, timeUnit: '1s', duration: '2s', preAllocatedVUs: 3 },
  car_5_per_500ms_1s: { executor: 'constant-arrival-rate', rate: 5, timeUnit: '500ms', duration: '1s', preAllocatedVUs: 3 },
  // Ramping: iteration n starts when the area under the rate reaches n, the last one at the end.
  rar_flat_4_per_s_1s: { executor: 'ramping-arrival-rate', startRate: 4, timeUnit: '1s', preAllocatedVUs: 3, stages: [{ duration: '1s', target: 4 }] },
  rar_0_to_10_per_s_2s: { executor: 'ramping-arrival-rate', startRate: 0, timeUnit: '1s', preAllocatedVUs: 3, stages: [{ duration: '2s', target: 10 }] },
  rar_up_and_down: {
    executor: 'ramping-arrival-rate',
    startRate: 2,
    timeUnit: '1s',
    preAllocatedVUs: 3,
    stages: [
      { duration: '1s', target: 6 },
      { duration: '1s', target: 0 },
    ],
  },
} as const;
