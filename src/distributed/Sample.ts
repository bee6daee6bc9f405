/**
 * The coordinator's spot check of its workers: runs are deterministic (a
 * run's outcome is a function of the batch and the run's seed), so the
 * coordinator plays again, itself, a sample of each item's runs (or a
 * tournament's negotiations) and fails the batch, naming the worker, when a
 * worker's result differs. A signature (`Sign.ts`) proves a result came from
 * a holder of the key; this check catches a worker that holds the key and
 * lies, or runs another build.
 *
 * The runs checked are drawn with `node:crypto`'s `randomInt` as each result
 * comes in, so a worker cannot know which of its runs will be looked at. With
 * one run an item (the default) the coordinator plays 1/chunk of the batch
 * again (1% with the default chunk of 100); a worker that falsifies a share
 * `f` of its items is caught with probability 1 − (1 − f)^items.
 *
 * Batches whose runs talk to remote agents are not checked: their moves come
 * from outside and need not repeat.
 *
 * @since 0.5.0
 */
import { randomInt } from "node:crypto"
import { NodeFileSystem } from "@effect/platform-node"
import { Effect, Either, Schema } from "effect"
import type { Batch } from "../simulation/Batch.ts"
import { runRange } from "../simulation/Batch.ts"
import { needsTransport } from "../simulation/Prepare.ts"
import type { Tournament } from "../tournament/Definition.ts"
import type { PlannedNegotiation } from "../tournament/Plan.ts"
import { arenaOf, hasRemoteCompetitor, playNegotiation } from "../tournament/Play.ts"
import type { ItemResult } from "./Item.ts"
import { canonical } from "./Queue.ts"

/** A worker's result differs from the coordinator's own play of the same run. */
export class ResultDiffers extends Schema.TaggedError<ResultDiffers>()("ResultDiffers", {
  batch: Schema.String,
  item: Schema.Number,
  worker: Schema.String,
  run: Schema.Number,
  problem: Schema.String,
}) {
  override get message() {
    return `batch ${this.batch}: worker ${this.worker}'s result of item ${this.item} differs from the coordinator's own play of run ${this.run} (${this.problem}); the batch is failed (the worker runs another build, or lies)`
  }
}

/** Checks a result against the coordinator's own play: the difference, or `undefined`. */
export type Check = (
  result: ItemResult,
  range: { readonly from: number; readonly to: number },
) => Promise<ResultDiffers | undefined>

/** Runs (or negotiations) of an item played again, when none is configured. */
export const DEFAULT_SAMPLE = 1

/** The first top-level field where two JSON values differ. */
const difference = (mine: unknown, theirs: unknown): string | undefined => {
  if (canonical(mine) === canonical(theirs)) return undefined
  if (typeof mine === "object" && mine !== null && typeof theirs === "object" && theirs !== null) {
    const a = mine as Record<string, unknown>
    const b = theirs as Record<string, unknown>
    for (const k of new Set([...Object.keys(a), ...Object.keys(b)]))
      if (canonical(a[k]) !== canonical(b[k]))
        return `${k}: the worker says ${canonical(b[k]).slice(0, 120)}, the coordinator played ${canonical(a[k]).slice(0, 120)}`
  }
  return "the values differ"
}

/** `count` distinct indices of `[from, to)`, drawn at random. */
const sampleOf = (from: number, to: number, count: number): Array<number> => {
  const picked = new Set<number>()
  while (picked.size < Math.min(count, to - from)) picked.add(randomInt(from, to))
  return [...picked].sort((a, b) => a - b)
}

/** The check of a Monte Carlo batch's results (none for one that talks to remote agents). */
export const monteCarloCheck = (
  batch: Batch,
  seed: number,
  perItem: number = DEFAULT_SAMPLE,
): Check | undefined =>
  perItem <= 0 || needsTransport(batch.base.compiled, batch.agents)
    ? undefined
    : async (result, { from, to }) => {
        for (const run of sampleOf(from, to, perItem)) {
          const mine = await Effect.runPromise(
            Effect.either(runRange(batch, { seed, from: run, to: run + 1 })),
          )
          const theirs = result.outcomes?.[run - from]
          const problem = Either.isLeft(mine)
            ? `the coordinator's play failed: ${mine.left.message}`
            : difference(JSON.parse(JSON.stringify(mine.right[0])), theirs)
          if (problem !== undefined)
            return new ResultDiffers({
              batch: result.batch,
              item: result.item,
              worker: result.worker,
              run,
              problem,
            })
        }
        return undefined
      }

/** The check of a tournament's results (none for one with a remote competitor). */
export const tournamentCheck = (
  tournament: Tournament,
  plan: ReadonlyArray<PlannedNegotiation>,
  perItem: number = DEFAULT_SAMPLE,
): Check | undefined => {
  const arena = arenaOf(tournament)
  if (perItem <= 0 || hasRemoteCompetitor(tournament) || Either.isLeft(arena)) return undefined
  return async (result, { from, to }) => {
    for (const index of sampleOf(from, Math.min(to, plan.length), perItem)) {
      const mine = await Effect.runPromise(
        Effect.either(
          playNegotiation(arena.right, plan[index]!, {}).pipe(Effect.provide(NodeFileSystem.layer)),
        ),
      )
      const theirs = result.results?.find((r) => r.index === index)?.result
      const problem = Either.isLeft(mine)
        ? `the coordinator's play failed: ${mine.left.message}`
        : difference(JSON.parse(JSON.stringify(mine.right.result)), theirs)
      if (problem !== undefined)
        return new ResultDiffers({
          batch: result.batch,
          item: result.item,
          worker: result.worker,
          run: index,
          problem,
        })
    }
    return undefined
  }
}
