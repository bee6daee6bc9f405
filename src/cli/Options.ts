/**
 * The options several commands share — a scenario, `--seed`, `--set`,
 * `--json`, `--nats` — written once.
 *
 * @since 0.2.0
 */
import { Args, Options } from "@effect/cli"
import { Effect, type HashMap, Option } from "effect"
import { parseOverrides } from "../scenario/Load.ts"
import * as Connection from "../store/nats/Connection.ts"
import { UsageError } from "./Errors.ts"

/** The scenario file a command works on. */
export const scenarioArg = Args.file({ name: "scenario", exists: "yes" }).pipe(
  Args.withDescription("a scenario file: .ts module, .json or .yaml"),
)
/** `--seed S`: the seed of the random generators. */
export const seedOption = Options.integer("seed").pipe(
  Options.withDescription("the seed of the random generators (default 1)"),
  Options.withDefault(1),
)
/** `--set name=value`: a scenario parameter fixed by hand. */
export const setOption = Options.keyValueMap("set").pipe(
  Options.withDescription("override a scenario parameter: --set name=value (repeatable)"),
  Options.optional,
)

/** The `--set` map as the loader takes it. */
export const overridesOf = (set: Option.Option<HashMap.HashMap<string, string>>) =>
  parseOverrides(
    Option.match(set, { onNone: () => [], onSome: (m) => [...m].map(([k, v]) => `${k}=${v}`) }),
  )

/** `--json`: print JSON instead of text. */
export const jsonOption = Options.boolean("json").pipe(Options.withDescription("print JSON"))

const natsText = Options.text("nats").pipe(
  Options.withDescription(
    "NATS server URL, e.g. nats://127.0.0.1:4222 (default: $PARLEY_NATS_URL; credentials from PARLEY_NATS_*)",
  ),
)

/**
 * `--nats URL`: the NATS server holding the log. Commands that can also work
 * on a file fall back to `PARLEY_NATS_URL` themselves, after the file.
 */
export const natsOption = Options.optional(natsText)

/** `--nats URL` for commands that only work on NATS: `PARLEY_NATS_URL` when not given. */
export const natsOrEnvOption = natsText.pipe(
  Options.withFallbackConfig(Connection.urlConfig),
  Options.optional,
)

/** The NATS servers of `--nats` (or `PARLEY_NATS_URL`); a {@link UsageError} when neither is given. */
export const natsUrl = (nats: Option.Option<string>) =>
  Option.match(nats, {
    onSome: Effect.succeed,
    onNone: () =>
      new UsageError({
        problem: "the state feed lives on NATS: give --nats URL or set PARLEY_NATS_URL",
      }),
  })
