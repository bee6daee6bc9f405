/**
 * The `parley` command line: wires the commands and the Node platform.
 * `--help` is parley's own (`Help.ts`); a usage error is one line,
 * `parley: ...`, and exit code 2 (`Errors.ts`).
 *
 * @since 0.1.0
 */
import { Command } from "@effect/cli"
import { defaultTeardown } from "@effect/platform/Runtime"
import * as NodeContext from "@effect/platform-node/NodeContext"
import * as NodeRuntime from "@effect/platform-node/NodeRuntime"
import { Console, Effect } from "effect"
import { parley as root } from "./Commands.ts"
import { parserQuiet, plainWhereNeeded, reportFailure } from "./Errors.ts"
import { helpText, isGroup } from "./Help.ts"

/** Whether the command line parsed and a command runs (what it prints on stderr is its own). */
let started = false

const cli = Command.run(
  root.pipe(
    Command.transformHandler((handler) =>
      Effect.zipRight(
        Effect.sync(() => {
          started = true
        }),
        handler,
      ),
    ),
  ),
  { name: "parley", version: "0.1.0" },
)

/**
 * `parley [command...] --help`, or a command that groups others run alone
 * (`parley`, `parley agent`): the command is named by the words before the
 * first option.
 */
const helpAsked = (args: ReadonlyArray<string>): string | undefined => {
  const options = args.includes("--") ? args.slice(0, args.indexOf("--")) : args
  const first = options.findIndex((a) => a.startsWith("-"))
  const words = options.slice(0, first < 0 ? options.length : first)
  return options.some((a) => a === "--help" || a === "-h") || (first < 0 && isGroup(root, words))
    ? helpText(root, words)
    : undefined
}

const help = helpAsked(process.argv.slice(2))

const program =
  help !== undefined ? Console.log(help) : cli(process.argv).pipe(parserQuiet(() => started))

/**
 * The signal that stopped the command, if any: Ctrl-C (SIGINT) or SIGTERM
 * interrupts it (its finalizers run: logs closed, a tournament's progress
 * kept for `--resume`), then it exits 128 + the signal's number with one line.
 */
let stoppedBy: "SIGINT" | "SIGTERM" | undefined
for (const signal of ["SIGINT", "SIGTERM"] as const)
  process.once(signal, () => {
    stoppedBy ??= signal
  })

/**
 * The commands that run until they are told to stop (a worker, an agent, the
 * live page, the projector, a watch): a signal is how they end, so they exit 0
 * as before. A batch stopped by a signal did not finish, and says so.
 */
const SERVICES = new Set(["worker", "agent", "serve", "project", "watch"])
const service = SERVICES.has(process.argv[2] ?? "")

program.pipe(
  reportFailure,
  plainWhereNeeded,
  Effect.provide(NodeContext.layer),
  NodeRuntime.runMain({
    disableErrorReporting: true,
    disablePrettyLogger: true,
    teardown: (exit, onExit) => {
      if (stoppedBy === undefined || service) return defaultTeardown(exit, onExit)
      process.stderr.write(`${process.stderr.isTTY ? "\n" : ""}parley: stopped by ${stoppedBy}\n`)
      onExit(stoppedBy === "SIGINT" ? 130 : 143)
    },
  }),
)
