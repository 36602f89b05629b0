/**
 * JUnit XML, the test-report format every CI system reads (the Ant/Surefire dialect that GitHub,
 * GitLab and Jenkins accept): `<testsuites>` holding `<testsuite>`s of `<testcase>`s, each passing,
 * failing (`<failure>`) or skipped (`<skipped>`), with counts on every suite and on the root.
 * This module builds the document from plain values; the commands' mappings are in
 * `junitReports.ts`.
 */

/** One test case: passed, failed (with a one-line message and a body), or skipped. */
export interface JunitCase {
  readonly name: string;
  readonly classname: string;
  /** Seconds. */
  readonly time: number;
  readonly failure?: { readonly message: string; readonly type: string; readonly body: string } | undefined;
  readonly skipped?: string | undefined;
  /** Text for `<system-out>`; none by default. */
  readonly output?: string | undefined;
}

/** One test suite. */
export interface JunitSuite {
  readonly name: string;
  /** Seconds. */
  readonly time: number;
  /** `<property>`s of the suite (configuration, seed, …). */
  readonly properties: Readonly<Record<string, string | number | boolean | null>>;
  readonly cases: readonly JunitCase[];
}

const escapes: Readonly<Record<string, string>> = {
  '&': '&amp;',
  '<': '&lt;',
  '>': '&gt;',
  '"': '&quot;',
  "'": '&apos;',
};

/** Escapes text for XML, dropping characters XML 1.0 cannot hold. */
export const xmlEscape = (text: string): string =>
  text
    // biome-ignore lint/suspicious/noControlCharactersInRegex: these are exactly the characters XML 1.0 forbids
    .replace(/[\u0000-\u0008\u000b\u000c\u000e-\u001f\ufffe\uffff]/g, '')
    .replace(/[&<>"']/g, (c) => escapes[c] ?? c);

const attrs = (a: Readonly<Record<string, string | number>>): string =>
  Object.entries(a)
    .map(([k, v]) => ` ${k}="${xmlEscape(String(v))}"`)
    .join('');

const seconds = (s: number): string => (Number.isFinite(s) ? s.toFixed(3) : '0.000');

/** Counts of a list of cases. */
export function junitCounts(cases: readonly JunitCase[]): { tests: number; failures: number; skipped: number } {
  return {
    tests: cases.length,
    failures: cases.filter((c) => c.failure !== undefined).length,
    skipped: cases.filter((c) => c.failure === undefined && c.skipped !== undefined).length,
  };
}

function caseXml(c: JunitCase): string[] {
  const open = `    <testcase${attrs({ name: c.name, classname: c.classname, time: seconds(c.time) })}`;
  const inner: string[] = [];
  if (c.failure !== undefined)
    inner.push(
      `      <failure${attrs({ message: c.failure.message, type: c.failure.type })}>${xmlEscape(c.failure.body)}</failure>`,
    );
  else if (c.skipped !== undefined) inner.push(`      <skipped${attrs({ message: c.skipped })}/>`);
  if (c.output !== undefined) inner.push(`      <system-out>${xmlEscape(c.output)}</system-out>`);
  return inner.length === 0 ? [`${open}/>`] : [`${open}>`, ...inner, '    </testcase>'];
}

function suiteXml(s: JunitSuite): string[] {
  const n = junitCounts(s.cases);
  const head = attrs({ name: s.name, tests: n.tests, failures: n.failures, errors: 0, skipped: n.skipped });
  const props = Object.entries(s.properties).map(
    ([name, value]) => `      <property${attrs({ name, value: value === null ? '' : String(value) })}/>`,
  );
  return [
    `  <testsuite${head}${attrs({ time: seconds(s.time) })}>`,
    ...(props.length > 0 ? ['    <properties>', ...props, '    </properties>'] : []),
    ...s.cases.flatMap(caseXml),
    '  </testsuite>',
  ];
}

/** A JUnit XML document of `suites`, under a root named `name`. */
export function junitXml(name: string, suites: readonly JunitSuite[]): string {
  const all = suites.flatMap((s) => s.cases);
  const n = junitCounts(all);
  const time = suites.reduce((t, s) => t + s.time, 0);
  const root = attrs({
    name,
    tests: n.tests,
    failures: n.failures,
    errors: 0,
    skipped: n.skipped,
    time: seconds(time),
  });
  return [
    '<?xml version="1.0" encoding="UTF-8"?>',
    `<testsuites${root}>`,
    ...suites.flatMap(suiteXml),
    '</testsuites>',
    '',
  ].join('\n');
}
