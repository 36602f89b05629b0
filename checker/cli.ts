#!/usr/bin/env node
/**
 * The xenpt command line: the thin edge that reads files, the clock and the terminal, drives the
 * engines, prints and sets the exit code (0 no violation, 1 violation, 2 usage or configuration
 * error, 3 incomplete, 4 internal error). The commands live in checker/cli/.
 */
import { reportInternalError } from './cli/internalError.js';

// Whatever escapes main (a failing import, an error in a callback) is still one line and exit 4.
const fatal = (e: unknown) => process.exit(reportInternalError(e));
process.on('uncaughtException', fatal);
process.on('unhandledRejection', fatal);
const { main } = await import('./cli/main.js');
process.exitCode = await main(process.argv.slice(2));
