/**
 * `parley tournament --nats`: every negotiation on the NATS event stream
 * exactly once, the same results as with JSONL logs, and `--resume` after an
 * interruption (a partial history left on the stream, or the command killed
 * with SIGKILL) finishing what is missing without logging anything twice.
 */
import { readFileSync } from "node:fs"
import { join } from "node:path"
import { afterEach, expect, it } from "@effect/vitest"
import { Chunk, Effect, Stream } from "effect"
import { eventIdFor } from "../../src/domain/Envelope.ts"
import type { EventEnvelope } from "../../src/domain/Event.ts"
import type { NegotiationId } from "../../src/domain/Ids.ts"
import { EventStore, ExpectedVersion } from "../../src/store/EventStore.ts"
import * as Spec from "../../src/store/Spec.ts"
import { logPath } from "../../src/tournament/Play.ts"
import type { TournamentResult } from "../../src/tournament/Result.ts"
import { runTournament, type TournamentOptions } from "../../src/tournament/Tournament.ts"
import * as NatsServer from "../support/NatsServer.ts"
import { describeWithNats } from "../support/WithNats.ts"
import { englandZimbabwe, four, killWhen, laptop, tempDir, write } from "./support.ts"

const play = (file: string, options: TournamentOptions = {}) =>
  Effect.runPromise(runTournament(file, options))

const small = {
  id: "streamed",
  competitors: four.slice(0, 3),
  scenarios: [laptop],
  repetitions: 2,
  rounds: 20,
  seed: 5,
}

/** Runs `f` against the event stream of the server at `url`. */
const onStream = <A>(
  url: string,
  f: (store: typeof EventStore.Service) => Effect.Effect<A, unknown>,
): Promise<A> =>
  Effect.runPromise(
    Effect.flatMap(EventStore, f).pipe(
      Effect.provide(Spec.storeLayer(Spec.nats(url))),
      Effect.scoped,
    ),
  )

/** Every negotiation on the stream, with its events, by id. */
const streamed = (url: string) =>
  onStream(url, (store) =>
    Effect.flatMap(store.list, (ids) =>
      Effect.forEach([...ids].sort(), (id) =>
        Effect.map(
          Stream.runCollect(store.read(id)),
          (events) => [id, Chunk.toReadonlyArray(events)] as const,
        ),
      ),
    ),
  )

/** The envelopes of a JSONL log. */
const linesOf = (path: string): Array<EventEnvelope> =>
  readFileSync(path, "utf8")
    .trim()
    .split("\n")
    .map((l) => JSON.parse(l) as EventEnvelope)

const opened = (events: ReadonlyArray<EventEnvelope>) =>
  events.filter((e) => e.event.type === "NegotiationOpened").length

const servers: Array<NatsServer.NatsServer> = []
const server = async () => {
  const s = await NatsServer.start()
  servers.push(s)
  return s.url
}
afterEach(async () => {
  await Promise.all(servers.splice(0).map((s) => s.stop()))
})

describeWithNats("parley tournament --nats", () => {
  it("logs every negotiation on the stream once, event for event as the JSONL logs, with the same results", async () => {
    const url = await server()
    const dir = tempDir()
    const file = write(dir, "t.json", small)
    const jsonl = await play(file, { outDir: join(dir, "jsonl"), workers: 0 })
    const nats = await play(file, { outDir: join(dir, "nats"), nats: url, workers: 0 })
    const json = (d: string) => readFileSync(join(dir, d, "tournament.json"), "utf8")
    expect(json("nats")).toBe(json("jsonl"))
    expect(readFileSync(join(dir, "nats", "scores.csv"), "utf8")).toBe(
      readFileSync(join(dir, "jsonl", "scores.csv"), "utf8"),
    )
    expect(nats.counts).toEqual({ new: 12, complete: 0, restarted: 0 })

    const logged = await streamed(url)
    expect(logged.map(([id]) => id)).toEqual(jsonl.plan.map((p) => p.id).sort())
    for (const [id, events] of logged) {
      expect(opened(events)).toBe(1)
      expect(events).toEqual(linesOf(logPath(join(dir, "jsonl"), id)))
    }

    // Played again into the same stream without --resume: refused, nothing appended.
    const again = await Effect.runPromise(
      Effect.either(runTournament(file, { nats: url, workers: 0 })),
    )
    expect(again._tag).toBe("Left")
    expect(String((again as { left: unknown }).left)).toContain("--resume")
    expect(await streamed(url)).toEqual(logged)

    // In worker threads (each on its own connection), into another server: the same results.
    const url2 = await server()
    const threaded = await play(file, { nats: url2, workers: 2 })
    expect(threaded.result).toEqual(JSON.parse(json("jsonl")) as TournamentResult)
    expect(await streamed(url2)).toEqual(logged)
  }, 120_000)

  it("resumes from the stream alone: keeps complete histories, finishes a partial one under its own id", async () => {
    const url = await server()
    const dir = tempDir()
    const file = write(dir, "t.json", small)
    const reference = await play(file, { outDir: join(dir, "jsonl"), workers: 0 })
    const ids = reference.plan.map((p) => p.id)
    // The interrupted run: four negotiations complete, one with only its first events.
    const complete = ids.slice(0, 4)
    const partial = ids[4]!
    const partialEvents = linesOf(logPath(join(dir, "jsonl"), partial))
    expect(partialEvents.length).toBeGreaterThan(4)
    await onStream(url, (store) =>
      Effect.gen(function* () {
        for (const id of complete)
          yield* store.append(
            id as NegotiationId,
            linesOf(logPath(join(dir, "jsonl"), id)),
            ExpectedVersion.NoStream,
          )
        yield* store.append(
          partial as NegotiationId,
          partialEvents.slice(0, 3),
          ExpectedVersion.NoStream,
        )
      }),
    )

    const resumed = await play(file, { nats: url, resume: true, workers: 0 })
    expect(resumed.counts).toEqual({ complete: 4, restarted: 1, new: 12 - 5 })
    expect(resumed.result).toEqual(reference.result)
    const logged = await streamed(url)
    expect(logged).toHaveLength(12)
    for (const [id, events] of logged) {
      expect(opened(events)).toBe(1)
      expect(events).toEqual(linesOf(logPath(join(dir, "jsonl"), id)))
    }

    // Resumed again: everything complete, nothing appended.
    const twice = await play(file, { nats: url, resume: true, workers: 0 })
    expect(twice.counts).toEqual({ complete: 12, restarted: 0, new: 0 })
    expect(twice.result).toEqual(reference.result)
    expect(await streamed(url)).toEqual(logged)
  }, 120_000)

  it("splits a long negotiation into commits of bounded size, the same events as its JSONL log", async () => {
    const url = await server()
    const dir = tempDir()
    const file = write(dir, "t.json", {
      ...small,
      id: "long",
      competitors: [four[0], four[2]],
      repetitions: 1,
      rounds: 1500,
    })
    const reference = await play(file, { outDir: join(dir, "jsonl"), workers: 0 })
    await play(file, { nats: url, workers: 0 })
    // The byte size of each commit of each negotiation, as stored.
    const commits = await onStream(url, (store) =>
      Effect.forEach(reference.plan, (p) =>
        Effect.map(Stream.runCollect(store.readLog(p.id)), (entries) =>
          Chunk.toReadonlyArray(entries).map((e) =>
            e._tag === "Commit" ? JSON.stringify(e.envelopes).length : Number.NaN,
          ),
        ),
      ),
    )
    const logged = await streamed(url)
    expect(logged).toHaveLength(reference.plan.length)
    for (const [id, events] of logged) {
      const lines = linesOf(logPath(join(dir, "jsonl"), id))
      expect(events).toEqual(lines)
      expect(opened(events)).toBe(1)
    }
    // The long logs take several commits, each within the bound.
    expect(Math.max(...commits.map((c) => c.length))).toBeGreaterThan(1)
    for (const sizes of commits) for (const size of sizes) expect(size).toBeLessThanOrEqual(400_000)
  }, 120_000)

  it("refuses to finish a history that is not this negotiation's replay", async () => {
    const url = await server()
    const dir = tempDir()
    const file = write(dir, "t.json", small)
    const reference = await play(file, { outDir: join(dir, "jsonl"), workers: 0 })
    const [a, b] = reference.plan.map((p) => p.id)
    // b's events stored under a's id: a consistent log, but not a's. Its ids are derived for a, as a
    // writer's are, so that it reads back and only the comparison with a's replay can refuse it; and
    // its second event is a minute later than a's replay has it (b's events can equal a's).
    const foreign = linesOf(logPath(join(dir, "jsonl"), b!))
      .slice(0, 2)
      .map((e, i) => {
        const occurredAt = (
          i === 0 ? e.occurredAt : new Date(Date.parse(e.occurredAt) + 60_000).toISOString()
        ) as EventEnvelope["occurredAt"]
        return {
          ...e,
          occurredAt,
          eventId: eventIdFor(a as NegotiationId, e.version, occurredAt, e.event),
        }
      })
    await onStream(url, (store) =>
      store.append(a as NegotiationId, foreign, ExpectedVersion.NoStream),
    )
    const resumed = await Effect.runPromise(
      Effect.either(runTournament(file, { nats: url, resume: true, workers: 0 })),
    )
    expect(resumed._tag).toBe("Left")
    expect(String((resumed as { left: unknown }).left)).toContain("differs from its replay")
  }, 120_000)

  it("killed with SIGKILL halfway, then resumed: the same tournament.json, every negotiation on the stream once", async () => {
    const url = await server()
    const dir = tempDir()
    const total = 4 * 3 * 2 * 3
    const file = write(dir, "t.json", {
      id: "killed",
      competitors: four,
      scenarios: [laptop, englandZimbabwe],
      repetitions: 3,
      rounds: 60,
      seed: 3,
    })
    const out = join(dir, "out")
    const count = () => onStream(url, (store) => Effect.map(store.list, (ids) => ids.length))
    const signal = await killWhen(
      ["tournament", file, "--out", out, "--nats", url, "--workers", "0"],
      count,
      20,
      30_000,
    )
    expect(signal).toBe("SIGKILL")
    const before = await count()
    expect(before).toBeGreaterThanOrEqual(20)
    expect(before).toBeLessThan(total)

    // Resumed in this process (a second command would only add its start-up time).
    const resumed = await play(file, { outDir: out, nats: url, resume: true, workers: 0 })
    // Each negotiation is one commit: on the stream whole or not at all.
    expect(resumed.counts).toEqual({ complete: before, restarted: 0, new: total - before })

    const uninterrupted = join(dir, "uninterrupted")
    await play(file, { outDir: uninterrupted, workers: 0 })
    expect(readFileSync(join(out, "tournament.json"), "utf8")).toBe(
      readFileSync(join(uninterrupted, "tournament.json"), "utf8"),
    )
    const logged = await streamed(url)
    expect(logged).toHaveLength(total)
    for (const [id, events] of logged) {
      expect(opened(events)).toBe(1)
      expect(events).toEqual(linesOf(logPath(uninterrupted, id)))
    }
  }, 120_000)
})
