// Which corpus row an iteration gets. The k6 edge: positions come from k6/execution, read when
// a pick is made (they do not exist in the init context, where pickers are created).
import exec from 'k6/execution';
import { hashSeed, seededRandom } from './seeded-random';
import { cumulativeWeights, pickWeighted } from './weights';

/** Returns the row for the current iteration. Create it in the init context; call it in the default function. */
export type Picker<T> = () => T;

function checkCorpus(corpus: ArrayLike<unknown>, what: string): void {
  if (!corpus || typeof corpus.length !== 'number' || corpus.length === 0) {
    throw new Error(`invalid corpus for ${what}: expected a non-empty array or SharedArray, got ${corpus ? `length ${corpus.length}` : String(corpus)}`);
  }
}

/**
 * Rows in order, one per iteration: the i-th iteration of the scenario gets row `i % length`. The position is
 * `scenario.iterationInTest`, which k6 keeps unique across VUs and across instances of a distributed run
 * (`--execution-segment`, the k6 Operator, Grafana Cloud), so no two iterations share a row until the corpus
 * wraps around. Calling it twice in one iteration returns the same row.
 */
export function sequential<T>(corpus: ArrayLike<T>): Picker<T> {
  checkCorpus(corpus, 'sequential()');
  return () => corpus[exec.scenario.iterationInTest % corpus.length] as T;
}

/**
 * Counts the picks made within the current iteration, so two picks in one iteration differ while the
 * k-th pick of iteration i stays the same run after run.
 */
function pickCounter(): () => [string, number, number] {
  let lastIteration = -1;
  let lastScenario = '';
  let calls = 0;
  return () => {
    // One read of exec.scenario: each read builds a new info object in k6.
    const { name: scenario, iterationInTest: iteration } = exec.scenario;
    if (iteration !== lastIteration || scenario !== lastScenario) {
      lastIteration = iteration;
      lastScenario = scenario;
      calls = 0;
    }
    return [scenario, iteration, calls++];
  };
}

/**
 * Uniformly random rows, reproducible: the k-th pick of the scenario's i-th iteration is fixed by `seed`,
 * whichever VU or instance runs that iteration. Change the seed for a different sample.
 * @param seed @default 1
 */
export function random<T>(corpus: ArrayLike<T>, seed = 1): Picker<T> {
  checkCorpus(corpus, 'random()');
  const position = pickCounter();
  return () => {
    const [scenario, iteration, call] = position();
    const u = seededRandom(hashSeed(seed, scenario, iteration, call))();
    return corpus[Math.floor(u * corpus.length)] as T;
  };
}

/**
 * Random rows in proportion to a weight: `row.tags[weightField]` (any extra JSONL field or CSV column lands in
 * `tags`) or a numeric field of a plain array's objects. Rows without the field weigh 1. Reproducible like `random`.
 * The running totals are computed once per VU in the init context: O(rows) per VU.
 * @param seed @default 1
 */
export function weighted<T>(corpus: ArrayLike<T>, weightField: string, seed = 1): Picker<T> {
  checkCorpus(corpus, 'weighted()');
  const totals = cumulativeWeights(corpus, weightField);
  const position = pickCounter();
  return () => {
    const [scenario, iteration, call] = position();
    const u = seededRandom(hashSeed(seed, 'weighted', scenario, iteration, call))();
    return corpus[pickWeighted(totals, u)] as T;
  };
}
