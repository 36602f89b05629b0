/**
 * Reads a JUnit XML report with a real XML parser (fast-xml-parser) and checks its structure as
 * CI systems read it: well-formed XML; `<testsuites>` of `<testsuite>`s of `<testcase>`s; every
 * case named, classed and timed; a failure with a message and a type; and the tests, failures,
 * errors and skipped counts of every suite and of the root agreeing with the cases.
 */
import { XMLParser, XMLValidator } from 'fast-xml-parser';
import { expect } from 'vitest';

/** A test case as parsed. */
export interface ParsedCase {
  readonly name: string;
  readonly classname: string;
  readonly time: string;
  readonly failure?: { readonly message: string; readonly type: string; readonly '#text'?: string };
  readonly skipped?: { readonly message: string };
  readonly 'system-out'?: string;
}

/** A test suite as parsed. */
export interface ParsedSuite {
  readonly name: string;
  readonly tests: string;
  readonly failures: string;
  readonly errors: string;
  readonly skipped: string;
  readonly time: string;
  readonly properties?: { readonly property: readonly { name: string; value: string }[] };
  readonly testcase: readonly ParsedCase[];
}

const parser = new XMLParser({
  ignoreAttributes: false,
  attributeNamePrefix: '',
  parseAttributeValue: false,
  parseTagValue: false,
  trimValues: false,
  isArray: (name) => name === 'testsuite' || name === 'testcase' || name === 'property',
});

const counts = (cases: readonly ParsedCase[]) => ({
  tests: String(cases.length),
  failures: String(cases.filter((c) => c.failure !== undefined).length),
  errors: '0',
  skipped: String(cases.filter((c) => c.skipped !== undefined).length),
});

/** Parses and checks a JUnit report; returns its suites. */
export function parseJunit(xml: string): ParsedSuite[] {
  expect(XMLValidator.validate(xml)).toBe(true);
  const doc = parser.parse(xml) as {
    testsuites?: { name: string; testsuite?: ParsedSuite[] } & Record<string, string>;
  };
  const root = doc.testsuites;
  expect(root).toBeDefined();
  const suites = root?.testsuite ?? [];
  expect(suites.length).toBeGreaterThan(0);
  for (const s of suites) {
    expect(s.name).toEqual(expect.any(String));
    expect(Number(s.time)).toBeGreaterThanOrEqual(0);
    const { tests, failures, errors, skipped } = s;
    expect({ tests, failures, errors, skipped }).toEqual(counts(s.testcase));
    for (const c of s.testcase) {
      expect(c.name).not.toBe('');
      expect(c.classname).not.toBe('');
      expect(Number(c.time)).toBeGreaterThanOrEqual(0);
      if (c.failure !== undefined)
        expect(c.failure).toMatchObject({ message: expect.any(String), type: expect.any(String) });
      expect(c.failure !== undefined && c.skipped !== undefined).toBe(false);
    }
  }
  const all = suites.flatMap((s) => s.testcase);
  const { tests, failures, errors, skipped } = root as Record<string, string>;
  expect({ tests, failures, errors, skipped }).toEqual(counts(all));
  return suites;
}
