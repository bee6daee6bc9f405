/**
 * A command's handler, loaded when the command runs. Each command's command
 * line — its name, options, arguments and description — lives in a light
 * module of `src/cli/commands/`, which the parser and the help load; what it
 * does lives in `src/cli/<command>.ts` with everything that imports, loaded
 * only when that command runs. `src/cli/Commands.ts` joins the two (`loadedHandler`), so
 * the dependency points one way: the handler imports its command's argument
 * type, the command module knows no handler. `parley --help` then compiles `@effect/cli`
 * and the option definitions, not the whole of parley (docs/PERFORMANCE.md,
 * "Start-up").
 *
 * @since 0.4.0
 */
import type { Command } from "@effect/cli"
import { Effect } from "effect"

/** What a command's handler receives: the parsed values of its options and arguments. */
export type Parsed<Config extends Command.Command.Config> = Command.Command.ParseConfig<Config>

/** What a command runs with the parsed values of its options and arguments. */
export type Handler<A, E, R> = (args: A) => Effect.Effect<void, E, R>

/**
 * The handler `pick` finds in the module `load` imports, loaded the first
 * time the command runs.
 */
export const loadedHandler =
  <M, A, E, R>(
    load: () => Promise<M>,
    pick: (module: M) => (args: A) => Effect.Effect<void, E, R>,
  ) =>
  (args: A): Effect.Effect<void, E, R> =>
    Effect.flatMap(Effect.promise(load), (module) => pick(module)(args))
