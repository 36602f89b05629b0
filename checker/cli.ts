#!/usr/bin/env node
/**
 * The xenpt command line: the thin edge that reads files, the clock and the terminal, drives the
 * engines, prints and sets the exit code (0 no violation, 1 violation, 2 usage or configuration
 * error, 3 incomplete). The commands live in checker/cli/.
 */
import { main } from './cli/main.js';

process.exitCode = await main(process.argv.slice(2));
