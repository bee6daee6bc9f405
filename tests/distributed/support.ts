/**
 * Real `parley worker` processes and a look at the streams, for the
 * distributed-batch tests: start a worker and wait until it takes work,
 * stop it with a signal, count what the batch stream holds.
 */
import { type ChildProcess, spawn } from "node:child_process"
import { fileURLToPath } from "node:url"
import { Command } from "@effect/cli"
import { NodeContext } from "@effect/platform-node"
import { jetstreamManager } from "@nats-io/jetstream"
import { connect } from "@nats-io/transport-node"
import { type Console, Effect, Redacted } from "effect"
import { batches, simulate, sweep, tournament } from "../../src/cli/Commands.ts"
import { reportFailure } from "../../src/cli/Errors.ts"
import { signedHeaders } from "../../src/distributed/Sign.ts"
import { layoutFor } from "../../src/nats/Layout.ts"

/**
 * The work key of the tests' coordinators (in this process) and workers
 * (which inherit its environment): batches are signed with it (`Sign.ts`).
 */
export const TEST_WORK_KEY = "tests-only-work-key-0123456789abcdef0123456789"
process.env.PARLEY_WORK_KEY ??= TEST_WORK_KEY

/** The default layout: the names a deployment without a prefix uses. */
const layout = layoutFor()

/** The `parley` command. */
export const parleyBin = fileURLToPath(new URL("../../bin/parley.js", import.meta.url))

/** A running `parley worker`. */
export interface WorkerProcess {
  readonly name: string
  readonly child: ChildProcess
  readonly stderr: () => string
  /** Resolves with the exit code and signal. */
  readonly exited: Promise<{ code: number | null; signal: NodeJS.Signals | null }>
}

/**
 * Starts `parley worker --nats url --threads n --name name [extra...]` (with
 * `env` added to this process's environment) and waits until it waits for work.
 */
export const startWorker = async (
  url: string,
  name: string,
  threads = 1,
  extra: ReadonlyArray<string> = [],
  env: Record<string, string> = {},
): Promise<WorkerProcess> => {
  const child = spawn(
    process.execPath,
    [parleyBin, "worker", "--nats", url, "--threads", String(threads), "--name", name, ...extra],
    { stdio: ["ignore", "ignore", "pipe"], env: { ...process.env, ...env } },
  )
  let stderr = ""
  const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) =>
    child.once("exit", (code, signal) => resolve({ code, signal })),
  )
  await new Promise<void>((resolve, reject) => {
    const timer = setTimeout(
      () => reject(new Error(`worker ${name} did not start: ${stderr}`)),
      120_000,
    )
    child.stderr!.setEncoding("utf8").on("data", (c: string) => {
      stderr += c
      if (stderr.includes("waiting for work")) {
        clearTimeout(timer)
        resolve()
      }
    })
    void exited.then(() => reject(new Error(`worker ${name} exited: ${stderr}`)))
  })
  return { name, child, stderr: () => stderr, exited }
}

/** Kills a worker if it still runs. */
export const stopWorker = async (w: WorkerProcess) => {
  if (w.child.exitCode === null && w.child.signalCode === null) w.child.kill("SIGKILL")
  await w.exited
}

/** The subjects the batch stream (or the work stream) holds under `filter`, with their message counts. */
export const subjects = async (
  url: string,
  filter: string,
  stream: string = layout.batchStream,
): Promise<Record<string, number>> => {
  const nc = await connect({ servers: url })
  try {
    const jsm = await jetstreamManager(nc)
    const info = await jsm.streams.info(stream, { subjects_filter: filter })
    return info.state.subjects ?? {}
  } finally {
    await nc.close()
  }
}

/** How many messages the work stream holds. */
export const queued = async (url: string): Promise<number> => {
  const nc = await connect({ servers: url })
  try {
    const jsm = await jetstreamManager(nc)
    return (await jsm.streams.info(layout.workStream)).state.messages
  } finally {
    await nc.close()
  }
}

/**
 * The work stream's messages once the workers' acks have landed. A worker acks an
 * item after its result is stored, and goes on to the next item meanwhile, so a
 * batch can end (its last result in) a moment before its last ack: this waits up
 * to `ms` for the stream to empty and returns what is left then.
 */
export const queuedOnceAcked = async (url: string, ms = 5_000): Promise<number> => {
  const deadline = Date.now() + ms
  for (;;) {
    const left = await queued(url)
    if (left === 0 || Date.now() > deadline) return left
    await new Promise((r) => setTimeout(r, 100))
  }
}

/** Publishes raw bytes on a subject (core NATS: the work stream captures it like any publish). */
export const publishRaw = async (url: string, subject: string, data: string) => {
  const nc = await connect({ servers: url })
  try {
    nc.publish(subject, data)
    await nc.flush()
  } finally {
    await nc.close()
  }
}

/** Publishes `data` on a subject signed with the tests' work key, as a coordinator would (`Sign.ts`). */
export const publishSigned = async (url: string, subject: string, data: string) => {
  const nc = await connect({ servers: url })
  try {
    const bytes = new TextEncoder().encode(data)
    nc.publish(subject, bytes, {
      headers: signedHeaders(Redacted.make(TEST_WORK_KEY), subject, bytes),
    })
    await nc.flush()
  } finally {
    await nc.close()
  }
}

/** A summary without its wall-clock seconds, as JSON: what "the same outcomes" compares. */
export const withoutSeconds = (summary: object): string => {
  const { seconds: _seconds, ...rest } = summary as { seconds?: number }
  return JSON.stringify(rest)
}

/** Waits until `check()` is true (polling), or fails after `timeoutMs`. */
export const until = async (check: () => Promise<boolean> | boolean, timeoutMs = 60_000) => {
  const deadline = Date.now() + timeoutMs
  while (Date.now() < deadline) {
    if (await check()) return
    await new Promise((r) => setTimeout(r, 100))
  }
  throw new Error("condition not reached in time")
}

const parley = Command.make("parley").pipe(
  Command.withSubcommands([simulate, sweep, tournament, batches]),
)

/**
 * Runs `parley <args>` in this process (the coordinators; the workers are
 * real processes): stdout and stderr as text, and whether it failed.
 */
export const inProcess = (args: ReadonlyArray<string>) =>
  Effect.gen(function* () {
    const out: Array<string> = []
    const err: Array<string> = []
    const base = yield* Effect.console
    const capture: Console.Console = {
      ...base,
      log: (...a) => Effect.sync(() => void out.push(a.join(" "))),
      error: (...a) => Effect.sync(() => void err.push(a.join(" "))),
    }
    const before = process.exitCode
    yield* Command.run(parley, { name: "parley", version: "0" })(["node", "parley", ...args]).pipe(
      reportFailure,
      Effect.withConsole(capture),
      Effect.provide(NodeContext.layer),
    )
    const failed = process.exitCode === 1
    process.exitCode = before
    return { stdout: out.join("\n"), stderr: err.join("\n"), failed }
  }).pipe(Effect.runPromise)

/** The last message on `subject` of the batch stream, as JSON (undefined when there is none). */
export const lastOn = async <A>(url: string, subject: string): Promise<A | undefined> => {
  const nc = await connect({ servers: url })
  try {
    const jsm = await jetstreamManager(nc)
    const m = await jsm.streams.getMessage(layout.batchStream, { last_by_subj: subject })
    return m === null ? undefined : m.json<A>()
  } finally {
    await nc.close()
  }
}
