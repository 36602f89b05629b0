/**
 * `xenpt schema NAME`: prints the JSON Schema of a command's --json output (check, fuzz or
 * mutants), the same document as checker/output/schema/NAME.schema.json.
 */
import { reportJsonSchema, reportSchemas } from '../output/index.js';
import { defineCommand } from './command.js';
import { EXIT, UsageError } from './common.js';

const names = Object.keys(reportSchemas) as (keyof typeof reportSchemas)[];

/** The schema command. */
export const schema = defineCommand({
  name: 'schema',
  summary: 'the JSON Schema of a command’s --json output (check, fuzz, mutants)',
  description: `Prints the JSON Schema (draft 2020-12) of what \`xenpt NAME --json\` prints. Objects are open:
later versions may add fields, never remove or retype the ones listed.`,
  operands: {
    usage: `<${names.join('|')}>`,
    parse(positionals, help) {
      if (help) return 'check'; // not printed: --help prints the help
      if (positionals.length > 1) throw new UsageError(`schema takes one name, got ${positionals.length}`);
      const known = names.find((n) => n === positionals[0]);
      if (known === undefined) throw new UsageError(`schema expects one of ${names.join(', ')}`);
      return known;
    },
  },
  groups: [],
  exitCodes: [
    [EXIT.ok, 'the schema was printed'],
    [EXIT.usage, 'usage error: no name, or not one of the names'],
  ],
  run: (args) => {
    const document = reportJsonSchema(args.operands);
    return { exit: EXIT.ok, report: { json: () => document, text: () => JSON.stringify(document, null, 2) } };
  },
});
