/**
 * The options several commands share — a scenario, `--seed`, `--set`,
 * `--agent`, `--json`, `--nats` — written once.
 *
 * @since 0.2.0
 */
import { Args, Options } from "@effect/cli"
import { Effect, Either, type HashMap, Option } from "effect"
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

/** `--agent party=strategy[:param=value,...]` (repeatable): replace a party's strategy. */
export const agentOption = Options.text("agent").pipe(
  Options.withDescription(
    "replace a party's strategy: --agent party=kind[:param=value,...] or --agent 'party={JSON spec}' (repeatable; see parley strategies)",
  ),
  Options.repeated,
)

/** A `--agent` parameter value: a number, a boolean, JSON (`[...]`, `{...}`) or else text. */
const paramValue = (raw: string): unknown => {
  if (raw === "true") return true
  if (raw === "false") return false
  if (raw !== "" && Number.isFinite(Number(raw))) return Number(raw)
  if (raw.startsWith("[") || raw.startsWith("{")) {
    try {
      return JSON.parse(raw) as unknown
    } catch {
      return raw
    }
  }
  return raw
}

/**
 * Parses one `--agent` value into a party id and a strategy spec (still to be
 * decoded by the runner, which names the field that is wrong):
 * `buyer=hardheaded`, `seller=time-dependent:e=0.5,k=0.1`,
 * `buyer={"kind":"boa",...}`.
 */
export const parseAgent = (text: string): Either.Either<readonly [string, unknown], UsageError> => {
  const eq = text.indexOf("=")
  const usage = (problem: string) =>
    Either.left(new UsageError({ problem: `--agent ${text}: ${problem}` }))
  if (eq <= 0) return usage("expected party=strategy, e.g. --agent buyer=hardheaded")
  const party = text.slice(0, eq).trim()
  return Either.map(
    parseStrategy(text.slice(eq + 1).trim(), `--agent ${text}`),
    (spec) => [party, spec] as const,
  )
}

/**
 * Parses a strategy as the command line writes it (still to be decoded, which
 * names the field that is wrong): `hardheaded`, `time-dependent:e=0.5,k=0.1`,
 * `{"kind":"boa",...}`; `where` prefixes a problem.
 */
export const parseStrategy = (rest: string, where: string): Either.Either<unknown, UsageError> => {
  const usage = (problem: string) =>
    Either.left(new UsageError({ problem: `${where}: ${problem}` }))
  if (rest.startsWith("{")) {
    try {
      return Either.right(JSON.parse(rest) as unknown)
    } catch (e) {
      return usage(`the JSON spec does not parse (${e instanceof Error ? e.message : String(e)})`)
    }
  }
  const colon = rest.indexOf(":")
  const kind = (colon < 0 ? rest : rest.slice(0, colon)).trim()
  if (kind === "") return usage("no strategy kind")
  const spec: Record<string, unknown> = { kind }
  if (colon >= 0)
    for (const pair of rest.slice(colon + 1).split(",")) {
      if (pair.trim() === "") continue
      const at = pair.indexOf("=")
      if (at <= 0) return usage(`parameter "${pair}" is not name=value`)
      spec[pair.slice(0, at).trim()] = paramValue(pair.slice(at + 1).trim())
    }
  return Either.right(spec)
}

/** The `--agent` values as the runner takes them (a party named twice is a usage error). */
export const agentsOf = (
  values: ReadonlyArray<string>,
): Either.Either<Record<string, unknown>, UsageError> => {
  const out: Record<string, unknown> = {}
  for (const v of values) {
    const parsed = parseAgent(v)
    if (Either.isLeft(parsed)) return Either.left(parsed.left)
    const [party, spec] = parsed.right
    if (Object.hasOwn(out, party))
      return Either.left(new UsageError({ problem: `--agent ${party} is given twice` }))
    out[party] = spec
  }
  return Either.right(out)
}
