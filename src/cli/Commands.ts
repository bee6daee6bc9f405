/**
 * Every command of `parley`, in the order of the help. A command is one
 * module of `./commands/`: its options, arguments and description, and its
 * handler, which imports what it runs with (the engines, the stores, NATS)
 * dynamically when the command runs, so that the help and the parser load
 * no handler's dependencies (docs/PERFORMANCE.md, "Start-up"). A new command
 * is its module, its line here, and its test.
 *
 * @since 0.4.0
 */
import { Command } from "@effect/cli"
import { command as agent } from "./commands/agent.ts"
import { command as agents } from "./commands/agents.ts"
import { command as analyze } from "./commands/analyze.ts"
import { command as batches } from "./commands/batches.ts"
import { command as exportLog } from "./commands/export.ts"
import { command as importDomain } from "./commands/importDomain.ts"
import { command as importLog } from "./commands/importLog.ts"
import { command as project } from "./commands/project.ts"
import { command as record } from "./commands/record.ts"
import { command as replay } from "./commands/replay.ts"
import { command as report } from "./commands/report.ts"
import { command as run } from "./commands/run.ts"
import { command as schema } from "./commands/schema.ts"
import { command as serve } from "./commands/serve.ts"
import { command as simulate } from "./commands/simulate.ts"
import { command as strategies } from "./commands/strategies.ts"
import { command as sweep } from "./commands/sweep.ts"
import { command as tournament } from "./commands/tournament.ts"
import { command as validate } from "./commands/validate.ts"
import { command as watch } from "./commands/watch.ts"
import { command as worker } from "./commands/worker.ts"
import { described } from "./Help.ts"

export {
  agent,
  agents,
  analyze,
  batches,
  exportLog,
  importDomain,
  importLog,
  project,
  record,
  replay,
  report,
  run,
  schema,
  serve,
  simulate,
  strategies,
  sweep,
  tournament,
  validate,
  watch,
  worker,
}

/** The commands in the order of the help. */
export const commands = [
  run,
  simulate,
  analyze,
  report,
  serve,
  importDomain,
  record,
  replay,
  validate,
  exportLog,
  importLog,
  project,
  watch,
  schema,
  strategies,
  tournament,
  sweep,
  agent,
  agents,
  worker,
  batches,
] as const

/** `parley` itself: its commands, and the examples its help ends with. */
export const parley = Command.make("parley").pipe(
  Command.withDescription(
    described("Event-sourced negotiation simulator", [
      "parley run scenarios/ceasefire-freeze.ts",
      "parley simulate scenarios/anac-laptop.json --runs 1000",
      "parley run --help",
    ]),
  ),
  Command.withSubcommands(commands),
)
