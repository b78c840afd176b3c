import v8 from 'node:v8';
import vm from 'node:vm';

/**
 * What a piece of work holds on to, not the garbage it leaves for the collector: the heap's growth
 * at its highest while `work` runs, sampled after a full collection every `everyMs`.
 */
export async function heapGrowthDuring<T>(work: () => Promise<T>, everyMs = 500): Promise<{ result: T; growth: number; seconds: number }> {
  v8.setFlagsFromString('--expose-gc');
  const gc = vm.runInNewContext('gc') as () => void;
  gc();
  const before = process.memoryUsage().heapUsed;
  let peak = before;
  const sampler = setInterval(() => {
    gc();
    peak = Math.max(peak, process.memoryUsage().heapUsed);
  }, everyMs);
  const started = performance.now();
  try {
    const result = await work();
    return { result, growth: peak - before, seconds: (performance.now() - started) / 1000 };
  } finally {
    clearInterval(sampler);
  }
}
