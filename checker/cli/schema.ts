/**
 * `xenpt schema NAME`: prints the JSON Schema of a command's --json output (check, fuzz or
 * mutants), the same document as checker/output/schema/NAME.schema.json.
 */
import { reportJsonSchema, reportSchemas } from '../output/index.js';
import { type Command, EXIT, UsageError } from './common.js';

const names = Object.keys(reportSchemas) as (keyof typeof reportSchemas)[];

const help = () => `Usage: xenpt schema <${names.join('|')}>

Prints the JSON Schema (draft 2020-12) of what \`xenpt NAME --json\` prints. Objects are open:
later versions may add fields, never remove or retype the ones listed.
`;

/** The schema command. */
export const schema: Command = {
  name: 'schema',
  summary: 'the JSON Schema of a command’s --json output (check, fuzz, mutants)',
  help,
  async run(argv) {
    const [name, ...rest] = argv;
    if (name === '--help' || name === '-h') {
      process.stdout.write(help());
      return EXIT.ok;
    }
    if (rest.length > 0) throw new UsageError(`schema takes one name, got ${argv.length}`);
    const known = names.find((n) => n === name);
    if (known === undefined) throw new UsageError(`schema expects one of ${names.join(', ')}`);
    process.stdout.write(`${JSON.stringify(reportJsonSchema(known), null, 2)}\n`);
    return EXIT.ok;
  },
};
