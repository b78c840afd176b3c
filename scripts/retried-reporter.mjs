// A vitest reporter beside the default one: at the end of a run, names every test that passed only
// when tried again (CI tries a failed server test once more), with what its first attempt said, so a
// test that fails now and then is seen and mended rather than hidden by the retry.
export default class RetriedReporter {
  retried = [];

  onTestCaseResult(testCase) {
    const { retryCount } = testCase.diagnostic() ?? {};
    if (!retryCount) return;
    const errors = testCase.result().errors ?? [];
    this.retried.push({ name: `${testCase.module.moduleId.replace(process.cwd() + '/', '')} > ${testCase.fullName}`, retryCount, state: testCase.result().state, error: errors[0]?.message ?? '' });
  }

  onTestRunEnd() {
    if (!this.retried.length) return;
    console.log(`\nTests tried again (${this.retried.length}):`);
    for (const t of this.retried) {
      console.log(`  ${t.state === 'passed' ? 'passed' : 'FAILED'} after ${t.retryCount} retry: ${t.name}${t.error ? `\n    first: ${t.error.split('\n')[0].slice(0, 300)}` : ''}`);
    }
  }
}
