import { CommanderError } from "commander";
import { processIo } from "./output.ts";
import { createProgram } from "./program.ts";

const program = createProgram(processIo);
try {
  await program.parseAsync(process.argv);
} catch (error) {
  if (!(error instanceof CommanderError)) throw error;
  const clean = ["commander.helpDisplayed", "commander.version", "commander.help"].includes(error.code);
  process.exitCode = clean ? 0 : 2;
}
