/** The JUnit writer: well-formed XML a parser reads back, escaping, and consistent counts. */
import { describe, expect, test } from 'vitest';
import { junitXml, xmlEscape } from '../../../../checker/output/junit.js';
import { parseJunit } from '../../../cli/junitParse.js';

describe('junitXml', () => {
  test('writes suites, cases, failures and skips that a parser reads back with consistent counts', () => {
    const xml = junitXml('root', [
      {
        name: 'suite <one> & "two"',
        time: 1.5,
        properties: { seed: 3, preset: null, exhaustive: true },
        cases: [
          { name: 'passes', classname: 'a.b', time: 0.25 },
          {
            name: "fails 'here'",
            classname: 'a.b',
            time: 0,
            failure: { message: 'x < y & z', type: 'XP105', body: 'line 1\n<trace>\n]]>' },
          },
          { name: 'skips', classname: 'a.c', time: 0, skipped: 'not run', output: 'out\u0001put' },
        ],
      },
      { name: 'empty-ish', time: 0, properties: {}, cases: [{ name: 'only', classname: 'c', time: 0 }] },
    ]);
    const suites = parseJunit(xml);
    expect(suites).toHaveLength(2);
    const [first] = suites;
    expect(first?.name).toBe('suite <one> & "two"');
    expect(first?.properties?.property).toEqual([
      { name: 'seed', value: '3' },
      { name: 'preset', value: '' },
      { name: 'exhaustive', value: 'true' },
    ]);
    expect(first?.testcase[1]?.name).toBe("fails 'here'");
    expect(first?.testcase[1]?.failure).toEqual({
      message: 'x < y & z',
      type: 'XP105',
      '#text': 'line 1\n<trace>\n]]>',
    });
    expect(first?.testcase[2]?.skipped).toEqual({ message: 'not run' });
    expect(first?.testcase[2]?.['system-out']).toBe('output');
    expect(xml).toMatch(
      /^<\?xml version="1\.0" encoding="UTF-8"\?>\n<testsuites name="root" tests="4" failures="1" errors="0" skipped="1" time="1\.500">/,
    );
  });

  test('xmlEscape escapes markup and drops characters XML 1.0 cannot hold', () => {
    expect(xmlEscape(`<a href="x">'&'</a>\u0000\u001f\t\n`)).toBe(
      '&lt;a href=&quot;x&quot;&gt;&apos;&amp;&apos;&lt;/a&gt;\t\n',
    );
  });
});
